//! Rendering: jobs and pages as the API's JSON, and the served data set sorted once and
//! rendered once, so a page is a handful of byte copies.

use serde_json::Value;

use crate::data::{api_order, Job};
use crate::error::ApiError;
use crate::query::{Query, Selector};

/// Turns every integer in `value` into a string (the ints-as-strings fault).
fn ints_to_strings(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => *value = Value::String(n.to_string()),
        Value::Array(items) => items.iter_mut().for_each(ints_to_strings),
        Value::Object(map) => map.values_mut().for_each(ints_to_strings),
        _ => {}
    }
}

/// A success body with every integer turned into a string (the ints-as-strings fault);
/// bodies already rendered that way stay as they are.
pub(crate) fn ints_as_strings(body: Vec<u8>) -> Vec<u8> {
    match serde_json::from_slice::<Value>(&body) {
        Ok(mut value) => {
            ints_to_strings(&mut value);
            serde_json::to_vec(&value).unwrap_or(body)
        }
        Err(_) => body,
    }
}

/// Renders one job to compact JSON.
pub(crate) fn render_job(job: &Job, ints_as_strings: bool) -> String {
    if ints_as_strings {
        let mut value = serde_json::to_value(job).unwrap_or(Value::Null);
        ints_to_strings(&mut value);
        value.to_string()
    } else {
        serde_json::to_string(job).unwrap_or_else(|_| "null".to_owned())
    }
}

/// The jobs the emulator serves, in API order, each with its JSON.
pub(crate) struct Dataset {
    jobs: Vec<Job>,
    rendered: Vec<Box<str>>,
    ints_as_strings: bool,
}

impl Dataset {
    pub(crate) fn new(mut jobs: Vec<Job>, ints_as_strings: bool) -> Self {
        jobs.sort_by(api_order);
        let rendered = jobs
            .iter()
            .map(|j| render_job(j, ints_as_strings).into_boxed_str())
            .collect();
        Self {
            jobs,
            rendered,
            ints_as_strings,
        }
    }

    /// The jobs, in API order.
    pub(crate) fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    /// The pre-rendered JSON of the job at `index` (API order).
    pub(crate) fn rendered(&self, index: usize) -> Option<&str> {
        self.rendered.get(index).map(|s| &**s)
    }

    /// Whether integers are sent as strings.
    pub(crate) fn ints_as_strings(&self) -> bool {
        self.ints_as_strings
    }

    /// The total count of the jobs `query` selects and the pre-rendered JSON of those on
    /// its page.
    pub(crate) fn page(&self, query: &Query) -> Result<(u64, Vec<&str>), ApiError> {
        let selector = Selector::new(query)?;
        let (total, indices) = selector
            .run_unfiltered(self.jobs.len())
            .unwrap_or_else(|| selector.run(&self.jobs));
        let jobs = indices
            .iter()
            .filter_map(|&i| self.rendered.get(i))
            .map(|s| &**s)
            .collect();
        Ok((total, jobs))
    }
}

/// Assembles a `DescribeRestoreJobs2` success body from the jobs' JSON.
pub(crate) fn page_body<S: AsRef<str>>(
    query: &Query,
    request_id: &str,
    total: u64,
    jobs: &[S],
    ints_as_strings: bool,
) -> Vec<u8> {
    let size: usize = jobs.iter().map(|s| s.as_ref().len() + 1).sum();
    let mut out = String::with_capacity(size + 256);
    out.push_str("{\"RequestId\":");
    // A request ID is plain ASCII; serializing keeps the output valid whatever it holds.
    out.push_str(&Value::from(request_id).to_string());
    out.push_str(",\"Success\":true,\"Code\":\"200\",\"Message\":\"successful\"");
    let q = if ints_as_strings { "\"" } else { "" };
    for (name, value) in [
        ("PageNumber", query.page_number),
        ("PageSize", u64::from(query.page_size)),
        ("TotalCount", total),
    ] {
        out.push_str(",\"");
        out.push_str(name);
        out.push_str("\":");
        out.push_str(q);
        out.push_str(&value.to_string());
        out.push_str(q);
    }
    out.push_str(",\"RestoreJobs\":{\"RestoreJob\":[");
    for (n, job) in jobs.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(job.as_ref());
    }
    out.push_str("]}}");
    out.into_bytes()
}
