//! The `#[hbr(...)]` attribute vocabulary: what `hbr-codegen` writes on the items it generates
//! and `hbr-macros` reads back. One definition for both, so that a key renamed on one side
//! cannot silently stop reaching the other.
//!
//! A proc-macro crate can export only macros, so the vocabulary lives here, in a crate without
//! dependencies that both build.
//!
//! ```
//! use hbr_attr_keys as keys;
//! assert_eq!(keys::HBR, "hbr");
//! assert!(keys::REQUEST_FIELD_KEYS.contains(&keys::MAX_ITEMS));
//! assert!(keys::STYLES.contains(&"repeatList"));
//! assert_eq!(keys::KINDS, &["read", "write"]);
//! assert_eq!(keys::const_name("page_size"), "PAGE_SIZE");
//! ```
#![forbid(unsafe_code)]

/// The attribute's name: `#[hbr(...)]`.
pub const HBR: &str = "hbr";

// Container keys.

/// `crate = "path"`: where the derives find `hbr_client` (container).
pub const CRATE: &str = "crate";
/// `action = "Name"`: the operation's action (request container).
pub const ACTION: &str = "action";
/// `version = "2017-09-08"`: the API version (request container).
pub const VERSION: &str = "version";
/// `kind = "read"`: whether the operation only reads or may change something (request
/// container; one of [`KINDS`]). Also the spec key of an operation file, with the same values.
pub const KIND: &str = "kind";
/// `response = Type`: the operation's response type (request container).
pub const RESPONSE: &str = "response";
/// `paginate(...)`: how the operation pages (request container).
pub const PAGINATE: &str = "paginate";
/// `rule(...)`: a rule across fields (request container).
pub const RULE: &str = "rule";
/// `output`: the struct is an operation's response (response container).
pub const OUTPUT: &str = "output";
/// `serde`: also derive the API-shaped serde impls that only dynamic use needs (request and
/// response containers): `Deserialize` and `Serialize` of a request, `Serialize` of a
/// response. Without it a response still deserializes (that is how it is read), and a request
/// object nested in a parameter still serializes (a `json`-style parameter needs it).
pub const SERDE: &str = "serde";

// `paginate(...)` keys.

/// `page_number = field`.
pub const PAGE_NUMBER: &str = "page_number";
/// `next_token = field`: the request field and the response field (same name) carrying the
/// token of the next page, for an operation that pages by token instead of by number.
pub const NEXT_TOKEN: &str = "next_token";
/// `page_size = field`.
pub const PAGE_SIZE: &str = "page_size";
/// `total_count = field` (of the response; optional with `next_token`).
pub const TOTAL_COUNT: &str = "total_count";
/// `items = field` (of the response); also `rule(items = N)`.
pub const ITEMS: &str = "items";
/// `item = Type`: the type of one item.
pub const ITEM: &str = "item";
/// `key = field`: the field of an item that identifies it.
pub const KEY: &str = "key";

// `rule(...)` keys.

/// `when(Field = "v", Other("a", "b"))`: the conditions.
pub const WHEN: &str = "when";
/// `field = "Wire"`: the checked field.
pub const FIELD: &str = "field";
/// `not_one_of("A", ...)`: the effective value must not be one of these.
pub const NOT_ONE_OF: &str = "not_one_of";
/// `one_of("A", ...)`: the effective value, when it is a documented one (a known enum value,
/// a boolean, the default), must be one of these; a value the spec does not know is sent.
pub const ONE_OF: &str = "one_of";
/// `required`: the field must be set.
pub const REQUIRED: &str = "required";
/// `only_when(Field = "v", Other("a", "b"))`: the field may be set only when every condition
/// holds (conditions on effective values, as in `when`).
pub const ONLY_WHEN: &str = "only_when";
/// `message = "..."`: what the user reads when the rule is broken.
pub const MESSAGE: &str = "message";

// Field and variant keys.

/// `wire = "Name"`: the wire name (fields) or wire value (enum variants).
pub const WIRE: &str = "wire";
/// `location = "body"`: where a top-level parameter travels (one of [`LOCATIONS`]).
pub const LOCATION: &str = "location";
/// `style = "repeatList"`: how an array or object travels (one of [`STYLES`]).
pub const STYLE: &str = "style";
/// `default = 10`: the value the service assumes.
pub const DEFAULT: &str = "default";
/// `minimum = 1`.
pub const MINIMUM: &str = "minimum";
/// `maximum = 99`.
pub const MAXIMUM: &str = "maximum";
/// `min_length = 1`.
pub const MIN_LENGTH: &str = "min_length";
/// `max_length = 64`.
pub const MAX_LENGTH: &str = "max_length";
/// `min_items = 1`.
pub const MIN_ITEMS: &str = "min_items";
/// `max_items = 5`.
pub const MAX_ITEMS: &str = "max_items";
/// `pattern = "regex"`.
pub const PATTERN: &str = "pattern";
/// `wrapper = "Item"`: a response array sent as `{"Items": {"Item": [...]}}`.
pub const WRAPPER: &str = "wrapper";
/// `timestamp = "unix_seconds"`: an integer that is a time (one of [`TIMESTAMPS`]): a response
/// field gets a time accessor, a request field a setter taking a point in time.
pub const TIMESTAMP: &str = "timestamp";
/// `percent_x100`: a response integer in hundredths of a percent.
pub const PERCENT_X100: &str = "percent_x100";
/// `json = Type`: a response string that carries JSON of this shape.
pub const JSON: &str = "json";
/// `unknown`: the enum variant that keeps values the SDK does not know.
pub const UNKNOWN: &str = "unknown";

/// The keys of an `HbrEnum` container.
pub const ENUM_CONTAINER_KEYS: &[&str] = &[CRATE];
/// The keys of an `HbrRequest` container.
pub const REQUEST_CONTAINER_KEYS: &[&str] = &[
    CRATE, ACTION, VERSION, KIND, RESPONSE, PAGINATE, RULE, SERDE,
];
/// The keys of an `HbrResponse` container.
pub const RESPONSE_CONTAINER_KEYS: &[&str] = &[CRATE, OUTPUT, SERDE];
/// The keys inside `paginate(...)`.
pub const PAGINATE_KEYS: &[&str] = &[
    PAGE_NUMBER,
    NEXT_TOKEN,
    PAGE_SIZE,
    TOTAL_COUNT,
    ITEMS,
    ITEM,
    KEY,
];
/// The keys inside `rule(...)`.
pub const RULE_KEYS: &[&str] = &[
    WHEN, FIELD, NOT_ONE_OF, ONE_OF, ITEMS, REQUIRED, ONLY_WHEN, MESSAGE,
];
/// The keys of an `HbrEnum` variant.
pub const VARIANT_KEYS: &[&str] = &[WIRE, UNKNOWN];
/// The keys of an `HbrRequest` field, in the order the generator writes them.
pub const REQUEST_FIELD_KEYS: &[&str] = &[
    WIRE, LOCATION, STYLE, DEFAULT, MINIMUM, MAXIMUM, MIN_LENGTH, MAX_LENGTH, MIN_ITEMS, MAX_ITEMS,
    PATTERN, ITEM, TIMESTAMP,
];
/// The keys of an `HbrResponse` field, in the order the generator writes them.
pub const RESPONSE_FIELD_KEYS: &[&str] = &[WIRE, WRAPPER, TIMESTAMP, PERCENT_X100, JSON];

/// The values of `kind`.
pub const KINDS: &[&str] = &[READ, WRITE];
/// `kind = "read"`: the operation only reads (the API metadata's `get` and `list` operation
/// types); it is retried after any transient failure.
pub const READ: &str = "read";
/// `kind = "write"`: the operation may create, change or delete something; it is sent again
/// only when the first request certainly had no effect.
pub const WRITE: &str = "write";
/// The values of `location`.
pub const LOCATIONS: &[&str] = &[QUERY, BODY];
/// `location = "query"` (the default): the URL query.
pub const QUERY: &str = "query";
/// `location = "body"`: the form body.
pub const BODY: &str = "body";
/// The values of `style`.
pub const STYLES: &[&str] = &[REPEAT_LIST, FLAT, JSON];
/// `style = "repeatList"`: `Filters.1.Values.2=...`.
pub const REPEAT_LIST: &str = "repeatList";
/// `style = "flat"`: `Tag.1.Key=...` without the list's own name.
pub const FLAT: &str = "flat";
/// The values of `timestamp`.
pub const TIMESTAMPS: &[&str] = &[UNIX_SECONDS, UNIX_MILLIS];
/// `timestamp = "unix_seconds"`.
pub const UNIX_SECONDS: &str = "unix_seconds";
/// `timestamp = "unix_millis"`.
pub const UNIX_MILLIS: &str = "unix_millis";

/// The builder methods `HbrRequest` emits besides one setter per field (and `set_<field>`):
/// a field's `item` method must not take one of these names.
pub const BUILDER_METHODS: &[&str] = &[
    "build",
    "builder",
    "with_client",
    "into_parts",
    "send",
    "into_paginator",
];

/// The name of the associated const `HbrRequest` emits for a field: the field's name (without
/// `r#`) in upper case.
///
/// ```
/// assert_eq!(hbr_attr_keys::const_name("r#type"), "TYPE");
/// assert_eq!(hbr_attr_keys::const_name("self_"), "SELF_");
/// ```
pub fn const_name(field: &str) -> String {
    field.trim_start_matches("r#").to_ascii_uppercase()
}

/// The second setter `HbrRequest` emits for an optional field, taking an `Option`:
/// `set_<field>` (without `r#`).
///
/// ```
/// assert_eq!(hbr_attr_keys::setter_name("r#type"), "set_type");
/// ```
pub fn setter_name(field: &str) -> String {
    format!("set_{}", field.trim_start_matches("r#"))
}

/// The builder type `HbrRequest` emits for a request type: `<Type>Builder`.
///
/// ```
/// assert_eq!(hbr_attr_keys::builder_type("DescribeVaultsRequest"), "DescribeVaultsRequestBuilder");
/// ```
pub fn builder_type(request: &str) -> String {
    format!("{request}Builder")
}
