//! Adaptive retry mode: a client-side token bucket that paces requests once the service has
//! throttled, its rate following CUBIC (the AWS SDKs' adaptive mode): cut to `beta` times
//! the rate measured when throttled, then grown back along a cubic curve that reaches the
//! old rate after a while and probes beyond it.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The constants of adaptive pacing (see [`RetryConfig::adaptive`](super::RetryConfig::adaptive)).
///
/// After a throttled answer the allowed rate becomes `beta` × the rate the client was
/// sending at; it then grows as `scale × (t − k)³ + r_max`, where `t` is the time since that
/// answer, `r_max` the rate when throttled and `k = ∛(r_max × (1 − beta) / scale)` the time
/// at which it reaches `r_max` again. The sending rate is measured over half-second
/// intervals, smoothed with weight `smoothing`; the allowed rate never exceeds twice it.
/// The rate never falls below [`min_rate`](Self::min_rate) requests per second.
///
/// Throttled answers to requests sent before the last decrease do not decrease again (they
/// answer for the rate that was already cut), so a burst of requests in flight throttled
/// together cuts the rate once.
///
/// ```
/// use hbr_runtime::client::AdaptiveConfig;
///
/// let standard = AdaptiveConfig::standard();
/// assert_eq!((standard.beta(), standard.scale(), standard.min_rate()), (0.7, 0.4, 0.5));
/// let gentler = standard.with_beta(0.8);
/// assert_eq!(gentler.beta(), 0.8);
/// // Values outside their range are ignored.
/// assert_eq!(standard.with_beta(1.5).beta(), 0.7);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdaptiveConfig {
    beta: f64,
    scale: f64,
    smoothing: f64,
    min_rate: f64,
}

impl Default for AdaptiveConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl AdaptiveConfig {
    /// The AWS SDKs' constants: beta 0.7, scale 0.4, smoothing 0.8, at least 0.5 requests
    /// per second.
    pub const fn standard() -> Self {
        Self {
            beta: 0.7,
            scale: 0.4,
            smoothing: 0.8,
            min_rate: 0.5,
        }
    }

    /// Sets the share of the rate kept after a throttled answer (strictly between 0 and 1).
    pub fn with_beta(mut self, beta: f64) -> Self {
        if beta > 0.0 && beta < 1.0 {
            self.beta = beta;
        }
        self
    }

    /// Sets how fast the rate grows back (positive).
    pub fn with_scale(mut self, scale: f64) -> Self {
        if scale.is_finite() && scale > 0.0 {
            self.scale = scale;
        }
        self
    }

    /// Sets the weight of the latest half-second in the measured rate (above 0, at most 1).
    pub fn with_smoothing(mut self, smoothing: f64) -> Self {
        if smoothing > 0.0 && smoothing <= 1.0 {
            self.smoothing = smoothing;
        }
        self
    }

    /// Sets the lowest rate, in requests per second (positive).
    pub fn with_min_rate(mut self, rate: f64) -> Self {
        if rate.is_finite() && rate > 0.0 {
            self.min_rate = rate;
        }
        self
    }

    /// The share of the rate kept after a throttled answer.
    pub fn beta(&self) -> f64 {
        self.beta
    }

    /// How fast the rate grows back.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// The weight of the latest half-second in the measured rate.
    pub fn smoothing(&self) -> f64 {
        self.smoothing
    }

    /// The lowest rate, in requests per second.
    pub fn min_rate(&self) -> f64 {
        self.min_rate
    }
}

/// A client's pacing of its requests: off until the service throttles, then a token bucket
/// whose rate follows [`AdaptiveConfig`]. One per client, shared by its clones; in adaptive
/// mode every request waits for it, in standard mode the calls that ask to be paced (the
/// concurrent paginator's).
///
/// ```
/// use hbr_runtime::client::{Config, Runtime};
///
/// let runtime = Runtime::new(Config::builder().endpoint("http://127.0.0.1:1").build())?;
/// assert_eq!(runtime.rate_limiter().rate(), None); // nothing throttled yet: not pacing
/// # Ok::<(), hbr_runtime::client::Error>(())
/// ```
#[derive(Debug)]
pub struct ClientRateLimiter {
    config: AdaptiveConfig,
    start: Instant,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Pacing is on (after the first throttled answer).
    enabled: bool,
    /// Tokens per second, the bucket's size, the tokens in it (negative: reserved ahead).
    fill_rate: f64,
    max_capacity: f64,
    capacity: f64,
    last_refill: Option<f64>,
    /// The smoothed sending rate, the start of the current half-second and its count.
    measured: f64,
    bucket_start: f64,
    count: u64,
    /// The rate when last throttled, when that was, and when the curve reaches it again.
    last_max_rate: f64,
    last_throttle: f64,
    window: f64,
    /// Bumped at each decrease; requests carry the epoch they were sent in.
    epoch: u64,
}

/// A request's turn: how long to wait before sending it, and the epoch to report its
/// answer with.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Turn {
    pub(crate) wait: Duration,
    pub(crate) epoch: u64,
}

impl ClientRateLimiter {
    /// A limiter, off until [`record`](Self::record) sees a throttled answer.
    pub(crate) fn new(config: AdaptiveConfig) -> Self {
        Self {
            config,
            start: Instant::now(),
            state: Mutex::new(State::default()),
        }
    }

    /// The requests per second it allows now, `None` while it does not pace.
    pub fn rate(&self) -> Option<f64> {
        let state = self.lock();
        state.enabled.then_some(state.fill_rate)
    }

    /// The smoothed rate at which answers came back, in requests per second.
    pub fn measured_rate(&self) -> f64 {
        self.lock().measured
    }

    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Takes a token for one request now; says how long to wait before sending it.
    pub(crate) fn turn(&self) -> Turn {
        let now = self.now();
        self.lock().turn(now)
    }

    /// Waits for a token, then says the epoch to report the answer with.
    pub(crate) async fn wait_turn(&self) -> u64 {
        let turn = self.turn();
        if !turn.wait.is_zero() {
            tracing::debug!(
                wait_ms = u64::try_from(turn.wait.as_millis()).unwrap_or(u64::MAX),
                "paced: waiting for the client's send rate"
            );
            tokio::time::sleep(turn.wait).await;
        }
        turn.epoch
    }

    /// An answer came back to a request sent in `epoch`: `throttled` or not.
    pub(crate) fn record(&self, throttled: bool, epoch: u64) {
        let now = self.now();
        self.lock().record(&self.config, now, throttled, epoch);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl State {
    fn turn(&mut self, now: f64) -> Turn {
        if !self.enabled {
            return Turn {
                wait: Duration::ZERO,
                epoch: self.epoch,
            };
        }
        self.refill(now);
        let wait = if self.capacity >= 1.0 {
            0.0
        } else {
            (1.0 - self.capacity) / self.fill_rate
        };
        self.capacity -= 1.0;
        Turn {
            wait: Duration::try_from_secs_f64(wait).unwrap_or(Duration::ZERO),
            epoch: self.epoch,
        }
    }

    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            let added = (now - last).max(0.0) * self.fill_rate;
            self.capacity = (self.capacity + added).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    fn set_rate(&mut self, config: &AdaptiveConfig, now: f64, rate: f64) {
        self.refill(now);
        self.fill_rate = rate.max(config.min_rate);
        self.max_capacity = rate.max(1.0);
        self.capacity = self.capacity.min(self.max_capacity);
    }

    /// Counts an answer in its half-second; at the turn of a half-second, folds the rate of
    /// the one before into the smoothed rate.
    fn measure(&mut self, config: &AdaptiveConfig, now: f64) {
        let bucket = (now * 2.0).floor() / 2.0;
        self.count += 1;
        if bucket > self.bucket_start {
            let rate = self.count as f64 / (bucket - self.bucket_start);
            self.measured = rate * config.smoothing + self.measured * (1.0 - config.smoothing);
            self.count = 0;
            self.bucket_start = bucket;
        }
    }

    /// The sending rate to act on: the smoothed one, or before the first half-second has
    /// passed, the count so far over the time so far.
    fn sending_rate(&self, now: f64) -> f64 {
        if self.measured > 0.0 {
            self.measured
        } else {
            self.count as f64 / (now - self.bucket_start).max(0.5)
        }
    }

    fn record(&mut self, config: &AdaptiveConfig, now: f64, throttled: bool, epoch: u64) {
        self.measure(config, now);
        let sending = self.sending_rate(now);
        let window = |max_rate: f64| (max_rate * (1.0 - config.beta) / config.scale).cbrt();
        let target = if throttled {
            if epoch < self.epoch {
                // Sent before the last decrease: that decrease already answered for it.
                return;
            }
            let rate = if self.enabled {
                sending.min(self.fill_rate)
            } else {
                sending
            };
            self.last_max_rate = rate;
            self.window = window(rate);
            self.last_throttle = now;
            self.enabled = true;
            self.epoch += 1;
            rate * config.beta
        } else {
            self.window = window(self.last_max_rate);
            let t = now - self.last_throttle - self.window;
            config.scale * t * t * t + self.last_max_rate
        };
        self.set_rate(config, now, target.min(2.0 * sending));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> AdaptiveConfig {
        AdaptiveConfig::standard()
    }

    /// `n` answers spread evenly over `[from, to)`, `throttled` or not, all sent in the
    /// epoch current at each.
    fn answers(s: &mut State, from: f64, to: f64, n: u32, throttled: bool) {
        for i in 0..n {
            let now = from + (to - from) * f64::from(i) / f64::from(n);
            let epoch = s.epoch;
            s.record(&cfg(), now, throttled, epoch);
        }
    }

    #[test]
    fn off_until_throttled() {
        let mut s = State::default();
        answers(&mut s, 0.0, 2.0, 400, false);
        assert!(!s.enabled);
        assert!((0..1000).all(|_| s.turn(2.0).wait.is_zero()));
    }

    #[test]
    fn a_throttle_cuts_to_beta_of_the_measured_rate() {
        let mut s = State::default();
        // 200 answers a second for two seconds: the measured rate settles near 200.
        answers(&mut s, 0.0, 2.0, 400, false);
        assert!((s.measured - 200.0).abs() < 5.0, "measured {}", s.measured);
        let epoch = s.epoch;
        s.record(&cfg(), 2.0, true, epoch);
        assert!(s.enabled);
        assert!((s.fill_rate - 0.7 * s.last_max_rate).abs() < 1e-9);
        assert!((s.last_max_rate - s.measured).abs() < 1.0);
        // k = cbrt(r * 0.3 / 0.4)
        assert!((s.window - (s.last_max_rate * 0.75).cbrt()).abs() < 1e-9);
    }

    #[test]
    fn one_decrease_per_burst() {
        let mut s = State::default();
        answers(&mut s, 0.0, 2.0, 400, false);
        let sent_before = s.epoch;
        s.record(&cfg(), 2.0, true, sent_before);
        let after_first = s.fill_rate;
        // The rest of the burst, sent before the decrease, is throttled too.
        for _ in 0..31 {
            s.record(&cfg(), 2.001, true, sent_before);
        }
        assert_eq!(s.fill_rate, after_first);
        // A request sent after the decrease and throttled cuts again.
        let epoch = s.epoch;
        s.record(&cfg(), 2.01, true, epoch);
        assert!(s.fill_rate < after_first);
    }

    #[test]
    fn tokens_pace_requests_at_the_fill_rate() {
        let mut s = State::default();
        answers(&mut s, 0.0, 2.0, 200, false);
        let epoch = s.epoch;
        s.record(&cfg(), 2.0, true, epoch);
        let rate = s.fill_rate;
        let tokens = s.capacity;
        // Many requests at once: once the tokens are used, the n-th waits n / rate.
        let waits: Vec<f64> = (0..50).map(|_| s.turn(2.0).wait.as_secs_f64()).collect();
        let last = waits.last().copied().unwrap_or_default();
        let expected = (50.0 - tokens) / rate;
        assert!(
            (last - expected).abs() < 0.05,
            "last wait {last}, expected {expected}"
        );
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn the_rate_grows_back_after_throttling_stops() {
        let mut s = State::default();
        answers(&mut s, 0.0, 2.0, 200, false);
        let epoch = s.epoch;
        s.record(&cfg(), 2.0, true, epoch);
        let cut = s.fill_rate;
        let max = s.last_max_rate;
        // Successes at the allowed rate, for longer than the window.
        let mut now = 2.0;
        while now < 2.0 + s.window + 2.0 {
            let step = 1.0 / s.fill_rate.max(1.0);
            now += step;
            let epoch = s.epoch;
            s.record(&cfg(), now, false, epoch);
        }
        assert!(s.fill_rate > cut);
        assert!(s.fill_rate >= max * 0.95, "rate {} vs {max}", s.fill_rate);
    }

    #[test]
    fn never_below_the_minimum_rate() {
        let mut s = State::default();
        for i in 0..200 {
            let epoch = s.epoch;
            s.record(&cfg(), f64::from(i) * 0.01, true, epoch);
        }
        assert!(s.fill_rate >= 0.5);
        assert!(s.turn(2.0).wait <= Duration::from_secs(10));
    }
}
