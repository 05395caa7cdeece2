//! The spec as typed values, each remembering where it was written.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::Location;

/// A whole API version: the service, shared enums, and operations (sorted by name).
#[derive(Clone, Debug)]
pub struct Spec {
    /// The service block.
    pub service: Service,
    /// Enums shared by several operations (module `types`).
    pub enums: Vec<EnumDef>,
    /// The operations, sorted by name.
    pub operations: Vec<Operation>,
}

/// The `service:` block.
#[derive(Clone, Debug)]
pub struct Service {
    /// Product code, e.g. `hbr`.
    pub product: String,
    /// API version, e.g. `2017-09-08`.
    pub version: String,
    /// Display name.
    pub title: String,
    /// Endpoint pattern with `{region}`.
    pub endpoint: String,
    /// Default signature: `v3` or `v1`.
    pub signature: String,
    /// Documentation.
    pub doc: String,
}

/// A string enum.
#[derive(Clone, Debug)]
pub struct EnumDef {
    /// Type name.
    pub name: String,
    /// Documentation.
    pub doc: Option<String>,
    /// Values in documented order.
    pub values: Vec<EnumValue>,
    /// Where the enum's name is.
    pub loc: Location,
}

/// One enum value.
#[derive(Clone, Debug)]
pub struct EnumValue {
    /// The value as the service spells it.
    pub wire: String,
    /// One-line meaning.
    pub doc: Option<String>,
    /// Where it is.
    pub loc: Location,
}

/// One operation file.
#[derive(Clone, Debug)]
pub struct Operation {
    /// Action name.
    pub name: String,
    /// Documentation.
    pub doc: Option<String>,
    /// The file.
    pub file: PathBuf,
    /// Where `operation:` is.
    pub loc: Location,
    /// `kind:` as written (`read` or `write` once validated), with where its value is.
    pub kind: Option<(String, Location)>,
    /// Paging, if the operation pages.
    pub pagination: Option<Pagination>,
    /// Waiters polling this operation.
    pub waiters: Vec<Waiter>,
    /// Enums of this operation.
    pub enums: Vec<EnumDef>,
    /// Request parameters.
    pub request: Vec<Prop>,
    /// Rules across request parameters.
    pub rules: Vec<Rule>,
    /// Response fields.
    pub response: Vec<Prop>,
}

/// The `pagination:` block.
#[derive(Clone, Debug)]
pub struct Pagination {
    /// How the next page is named: a page number, or the token of the previous response.
    pub cursor: Cursor,
    /// Request parameter with the page size.
    pub page_size: (String, Location),
    /// Response field with the total count (required with a page number).
    pub total_count: Option<(String, Location)>,
    /// Response array with the items.
    pub items: (String, Location),
    /// Field of an item that identifies it.
    pub item_key: Option<(String, Location)>,
}

/// How a `pagination:` block names the next page.
#[derive(Clone, Debug)]
pub enum Cursor {
    /// `page_number:` the request parameter with the page number (1-based).
    PageNumber((String, Location)),
    /// `next_token:` the request parameter and the response field (of the same name) carrying
    /// the token of the next page.
    NextToken((String, Location)),
}

/// One entry of the `waiters:` block: polling the operation until the first item of a
/// response list (or, without `items`, the response itself) reaches a final status.
#[derive(Clone, Debug)]
pub struct Waiter {
    /// Its name (`UpperCamelCase`), the type emitted for it.
    pub name: String,
    /// Where its name is.
    pub loc: Location,
    /// Documentation.
    pub doc: Option<String>,
    /// The response array whose first item is the resource waited for; `None` when the
    /// response itself is (its status a top-level field, as `DescribeTask`'s).
    pub items: Option<(String, Location)>,
    /// The field of an item (or of the response) holding its status.
    pub status: (String, Location),
    /// Statuses that end the wait successfully.
    pub success: (Vec<String>, Location),
    /// Statuses that end it with a failure.
    pub failure: (Vec<String>, Location),
    /// Seconds before the second poll (the pause doubles after each poll).
    pub delay: (u64, Location),
    /// The longest pause between polls, in seconds.
    pub max_delay: (u64, Location),
    /// How long to wait by default, in seconds.
    pub timeout: (u64, Location),
}

/// A named property: a parameter, a response field, an object property.
#[derive(Clone, Debug)]
pub struct Prop {
    /// Wire name.
    pub wire: String,
    /// Its type node.
    pub node: Node,
    /// Where the name is.
    pub loc: Location,
}

/// A literal value in a spec (defaults, rule values).
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
}

impl Scalar {
    /// The value as it travels on the wire / compares in rules.
    pub fn wire(&self) -> String {
        match self {
            Scalar::Str(s) => s.clone(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

/// The unit of a response integer (`unit:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// `bytes`.
    Bytes,
    /// `kib_per_second`.
    KibPerSecond,
    /// `percent_x100`: hundredths of a percent.
    PercentX100,
    /// `count`.
    Count,
    /// `seconds`.
    Seconds,
    /// `days`.
    Days,
}

impl Unit {
    /// Every unit, in the order messages list them.
    pub const ALL: [Unit; 6] = [
        Unit::Bytes,
        Unit::KibPerSecond,
        Unit::PercentX100,
        Unit::Count,
        Unit::Seconds,
        Unit::Days,
    ];

    /// Its spelling in the spec.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Bytes => "bytes",
            Unit::KibPerSecond => "kib_per_second",
            Unit::PercentX100 => "percent_x100",
            Unit::Count => "count",
            Unit::Seconds => "seconds",
            Unit::Days => "days",
        }
    }

    /// The unit the spec spells `name`.
    pub fn from_name(name: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.name() == name)
    }
}

/// The shape of a type node.
#[derive(Clone, Debug)]
pub enum Kind {
    /// `string`
    String,
    /// `int32`
    Int32,
    /// `int64`
    Int64,
    /// `boolean`
    Boolean,
    /// `any`: arbitrary JSON
    Any,
    /// `array` with its item node
    Array(Box<Node>),
    /// `object`
    Object(Box<ObjectDef>),
}

impl Kind {
    /// The spec's name for the type.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Int32 => "int32",
            Kind::Int64 => "int64",
            Kind::Boolean => "boolean",
            Kind::Any => "any",
            Kind::Array(_) => "array",
            Kind::Object(_) => "object",
        }
    }

    /// Whether it is an integer type.
    pub fn is_int(&self) -> bool {
        matches!(self, Kind::Int32 | Kind::Int64)
    }
}

/// An object type.
#[derive(Clone, Debug)]
pub struct ObjectDef {
    /// Rust type name.
    pub name: Option<(String, Location)>,
    /// Properties in documented order.
    pub properties: Vec<Prop>,
    /// Cross-field rules.
    pub rules: Vec<Rule>,
    /// A typed filter API over this object's key/operator/values fields.
    pub filter: Option<FilterSpec>,
}

/// The `filter:` block of a request object shaped `Key` / `Operator` / `Values`.
#[derive(Clone, Debug)]
pub struct FilterSpec {
    /// The field holding the key (an enum).
    pub key: (String, Location),
    /// The field holding the operator (an enum).
    pub operator: (String, Location),
    /// The field holding the values (an array of strings).
    pub values: (String, Location),
    /// The keys with a typed constructor: wire name, kind, place.
    pub keys: Vec<(String, FilterKind, Location)>,
    /// Where the block is.
    pub loc: Location,
}

/// What a typed filter key compares.
#[derive(Clone, Debug, PartialEq)]
pub enum FilterKind {
    /// Strings: EQUAL, NOT_EQUAL, IN.
    String,
    /// Values of an enum: EQUAL, NOT_EQUAL, IN.
    Enum(String),
    /// Unix-second times: comparisons and BETWEEN.
    Time,
}

impl FilterKind {
    /// The operators a key of this kind accepts, in their wire spelling: the methods its
    /// typed key offers (`hbr_runtime::filter`), which the operator enum must have.
    pub fn operators(&self) -> &'static [&'static str] {
        match self {
            FilterKind::String | FilterKind::Enum(_) => &["EQUAL", "NOT_EQUAL", "IN"],
            FilterKind::Time => &[
                "EQUAL",
                "NOT_EQUAL",
                "GREATER_THAN",
                "GREATER_THAN_OR_EQUAL",
                "LESS_THAN",
                "LESS_THAN_OR_EQUAL",
                "BETWEEN",
            ],
        }
    }
}

/// A type node with everything the spec can say about it.
#[derive(Clone, Debug)]
pub struct Node {
    /// The shape.
    pub kind: Kind,
    /// Documentation.
    pub doc: Option<String>,
    /// Enum name.
    pub enum_ref: Option<String>,
    /// `values:`: the enum values this parameter or field takes, when only some of them.
    pub values: Vec<(String, Location)>,
    /// `pinned:`: facts corrected by hand that imports leave as written.
    pub pinned: Vec<(String, Location)>,
    /// Documented default.
    pub default: Option<Scalar>,
    /// Required.
    pub required: bool,
    /// Inclusive lower bound.
    pub minimum: Option<i64>,
    /// Inclusive upper bound.
    pub maximum: Option<i64>,
    /// Minimum string length.
    pub min_length: Option<u64>,
    /// Maximum string length.
    pub max_length: Option<u64>,
    /// Minimum array length.
    pub min_items: Option<u64>,
    /// Maximum array length.
    pub max_items: Option<u64>,
    /// Pattern.
    pub pattern: Option<String>,
    /// `query` or `body`.
    pub location_in: Option<String>,
    /// `repeatList`, `flat`, `json`.
    pub style: Option<String>,
    /// Appender method name.
    pub item_name: Option<String>,
    /// Response array wrapper key.
    pub wrapper: Option<String>,
    /// `unix_seconds` / `unix_millis`.
    pub timestamp: Option<String>,
    /// Unit.
    pub unit: Option<String>,
    /// Shape of the JSON the string carries.
    pub json: Option<Box<Node>>,
    /// Deprecated.
    pub deprecated: bool,
    /// The node could not be read (its error is already reported): later checks skip it so
    /// that one mistake does not cascade into several messages.
    pub invalid: bool,
    /// Where the node's value starts.
    pub loc: Location,
    /// Where each key of the node stands.
    pub keys: BTreeMap<String, Location>,
}

impl Node {
    /// Where `key` was written, or the node itself.
    pub fn at(&self, key: &str) -> Location {
        self.keys
            .get(key)
            .cloned()
            .unwrap_or_else(|| self.loc.clone())
    }
}

/// A cross-field rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Conditions: field, accepted values.
    pub when: Vec<Cond>,
    /// The checked field.
    pub field: (String, Location),
    /// The check.
    pub check: Check,
    /// Message for the user.
    pub message: String,
    /// Where the rule is.
    pub loc: Location,
}

/// What a rule checks.
#[derive(Clone, Debug)]
pub enum Check {
    /// Effective value not in the list.
    NotOneOf(Vec<Scalar>),
    /// Effective value in the list.
    OneOf(Vec<Scalar>),
    /// Exactly this many items.
    Items(u64),
    /// Present.
    Required,
    /// Present only when every one of these conditions holds (field, accepted values).
    OnlyWhen(Vec<Cond>),
}

/// A rule's condition: a field, the values that satisfy it, where it is written.
pub type Cond = (String, Vec<Scalar>, Location);
