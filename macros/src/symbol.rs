//! Attribute keys, as constants (one place to read what `#[hbr(...)]` accepts).

pub const HBR: &str = "hbr";

// container keys
pub const CRATE: &str = "crate";
pub const ACTION: &str = "action";
pub const VERSION: &str = "version";
pub const RESPONSE: &str = "response";
pub const PAGINATE: &str = "paginate";
pub const RULE: &str = "rule";
pub const OUTPUT: &str = "output";

// paginate(...) keys
pub const PAGE_NUMBER: &str = "page_number";
pub const PAGE_SIZE: &str = "page_size";
pub const TOTAL_COUNT: &str = "total_count";
pub const ITEMS: &str = "items";
pub const ITEM: &str = "item";
pub const KEY: &str = "key";

// rule(...) keys
pub const WHEN: &str = "when";
pub const FIELD: &str = "field";
pub const NOT_ONE_OF: &str = "not_one_of";
pub const ONE_OF: &str = "one_of";
pub const REQUIRED: &str = "required";
pub const MESSAGE: &str = "message";

// field and variant keys
pub const WIRE: &str = "wire";
pub const LOCATION: &str = "location";
pub const STYLE: &str = "style";
pub const DEFAULT: &str = "default";
pub const MINIMUM: &str = "minimum";
pub const MAXIMUM: &str = "maximum";
pub const MIN_LENGTH: &str = "min_length";
pub const MAX_LENGTH: &str = "max_length";
pub const MIN_ITEMS: &str = "min_items";
pub const MAX_ITEMS: &str = "max_items";
pub const PATTERN: &str = "pattern";
pub const WRAPPER: &str = "wrapper";
pub const TIMESTAMP: &str = "timestamp";
pub const PERCENT_X100: &str = "percent_x100";
pub const JSON: &str = "json";
pub const UNKNOWN: &str = "unknown";

pub const LOCATIONS: &[&str] = &["query", "body"];
pub const STYLES: &[&str] = &["repeatList", "flat", "json"];
pub const TIMESTAMPS: &[&str] = &["unix_seconds", "unix_millis"];
