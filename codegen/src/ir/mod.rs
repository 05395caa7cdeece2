//! The intermediate representation: what the generated code is, decided once, for `emit` to
//! print. Names are Rust names, types are Rust types, attributes are typed values and the
//! documented constraints of each parameter are stated once ([`Constraints`]), for the
//! derive attributes, the rustdoc and the registry alike.
//!
//! [`build`] lowers a validated [`Spec`](crate::model::Spec) into an [`Api`]:
//!
//! ```
//! use std::path::{Path, PathBuf};
//! let files = vec![
//!     (PathBuf::from("spec/service.yaml"), "service: {product: hbr, version: '2017-09-08', title: T, endpoint: 'h.{region}.x', doc: D}\n".to_owned()),
//!     (PathBuf::from("spec/Ping.yaml"), "kind: read\noperation: Ping\ndoc: Pings.\nrequest:\n  Size: {type: int32, minimum: 1, maximum: 9, doc: How many.}\nresponse:\n  RequestId: {type: string, doc: The id.}\n".to_owned()),
//! ];
//! let spec = hbr_codegen::load_sources(Path::new("spec"), &files)?;
//! let api = hbr_codegen::ir::build(&spec);
//! let request = &api.operations[0].request;
//! assert_eq!(request.name, "PingRequest");
//! assert_eq!(request.operation.as_ref().map(|o| o.kind), Some(hbr_codegen::ir::OperationKind::Read));
//! assert_eq!(request.fields[0].name, "size");
//! assert_eq!(request.fields[0].constraints.maximum, Some(9));
//! # Ok::<(), hbr_codegen::Error>(())
//! ```

mod build;

pub use build::build;

pub use crate::model::{Scalar, Service, Unit};

/// The whole API version, ready to print.
#[derive(Clone, Debug)]
pub struct Api {
    /// The service.
    pub service: Service,
    /// Enums shared by several operations (module `types`).
    pub shared_enums: Vec<Enum>,
    /// The operations, sorted by name.
    pub operations: Vec<Operation>,
}

/// A string enum.
#[derive(Clone, Debug)]
pub struct Enum {
    /// The type name.
    pub name: String,
    /// Its documentation.
    pub doc: Option<String>,
    /// The known values, in documented order.
    pub variants: Vec<Variant>,
}

/// One known value of an enum.
#[derive(Clone, Debug)]
pub struct Variant {
    /// The variant name.
    pub name: String,
    /// The value as the service spells it.
    pub wire: String,
    /// Its one-line meaning.
    pub doc: Option<String>,
}

/// One operation: its request, response, the types they use and its registry entry.
#[derive(Clone, Debug)]
pub struct Operation {
    /// The action name.
    pub action: String,
    /// The module and client method name.
    pub module: String,
    /// Its documentation.
    pub doc: Option<String>,
    /// The request type.
    pub request: RequestStruct,
    /// The response type.
    pub response: ResponseStruct,
    /// The object types the request and response use, in the order they are printed.
    pub nested: Vec<Item>,
    /// The enums of this operation.
    pub enums: Vec<Enum>,
    /// Every parameter, nested ones as `Filters.N.Key`, for the registry.
    pub parameters: Vec<RegistryParam>,
    /// The waiters polling this operation.
    pub waiters: Vec<Waiter>,
}

/// A waiter: a marker type implementing the runtime's `WaitFor`, and a client method.
#[derive(Clone, Debug)]
pub struct Waiter {
    /// The type name.
    pub name: String,
    /// The client method (`wait_until_restore_job_finished`).
    pub method: String,
    /// Its documentation.
    pub doc: Option<String>,
    /// The response field holding the items (its Rust name); `None` when the response itself
    /// is waited for.
    pub items_field: Option<String>,
    /// The type of one item (the response's type without `items_field`).
    pub item_type: String,
    /// The item (or response) field holding the status (its Rust name).
    pub status_field: String,
    /// Whether the status is a generated enum (else a string).
    pub status_is_enum: bool,
    /// Statuses that end the wait successfully.
    pub success: Vec<String>,
    /// Statuses that end it with a failure.
    pub failure: Vec<String>,
    /// Seconds before the second poll.
    pub delay: u64,
    /// The longest pause, in seconds.
    pub max_delay: u64,
    /// The default timeout, in seconds.
    pub timeout: u64,
}

/// A nested object type.
#[derive(Clone, Debug)]
pub enum Item {
    /// An object inside a request parameter.
    Request(Box<RequestStruct>),
    /// An object inside a response (or the shape of JSON a response string carries).
    Response(ResponseStruct),
}

/// A struct deriving `HbrRequest`.
#[derive(Clone, Debug)]
pub struct RequestStruct {
    /// The type name.
    pub name: String,
    /// Its documentation from the spec.
    pub doc: Option<String>,
    /// For an operation's own request: what makes it an operation.
    pub operation: Option<OperationAttrs>,
    /// Rules across its fields.
    pub rules: Vec<RuleAttr>,
    /// Its fields, in documented order.
    pub fields: Vec<RequestField>,
    /// The typed filter API over its fields.
    pub filter: Option<Filter>,
    /// The wire names of the request strings whose JSON (`json:`) this struct describes:
    /// it converts into their value (`impl From<Self> for String`).
    pub json_of: Vec<String>,
}

/// The container attributes of an operation's request.
#[derive(Clone, Debug)]
pub struct OperationAttrs {
    /// `action`.
    pub action: String,
    /// `version`.
    pub version: String,
    /// `kind`.
    pub kind: OperationKind,
    /// `response`: the response type.
    pub response: String,
    /// `paginate(...)`.
    pub paginate: Option<Paginate>,
}

/// `paginate(...)`: field names of the request and the response, and the wire facts the
/// registry lists.
#[derive(Clone, Debug)]
pub struct Paginate {
    /// How the next page is named, with the request field (the response field of a token
    /// has the same name).
    pub cursor: PageCursor,
    /// The request field with the page size.
    pub page_size: String,
    /// The response field with the total count (always there with a page number).
    pub total_count: Option<String>,
    /// The response field with the items.
    pub items: String,
    /// The type of one item.
    pub item: Option<String>,
    /// The field of an item that identifies it.
    pub key: Option<String>,
    /// The wire names of the cursor, the page size, the items and the total count.
    pub wire: PageWire,
    /// The key the items travel under inside the items object (`wrapper`), if any.
    pub wrapper: Option<String>,
    /// The wire name of the item key, if any.
    pub item_key_wire: Option<String>,
    /// The fields of one item: wire name and spec type (`string`, `int64`, ...).
    pub item_fields: Vec<(String, &'static str)>,
}

/// How a request names the next page (the Rust field name).
#[derive(Clone, Debug)]
pub enum PageCursor {
    /// By page number.
    Number(String),
    /// By the previous response's token.
    Token(String),
}

/// The wire names of a paging block, as the spec writes them.
#[derive(Clone, Debug)]
pub struct PageWire {
    /// `PageNumber` or `NextToken`.
    pub cursor: String,
    /// `PageSize`, `MaxResults`, `Limit`.
    pub page_size: String,
    /// The items field.
    pub items: String,
    /// The total count field, if any.
    pub total_count: Option<String>,
}

/// `rule(...)`.
#[derive(Clone, Debug)]
pub struct RuleAttr {
    /// Conditions: a field's wire name and the values that make the rule apply.
    pub when: Vec<(String, Vec<String>)>,
    /// The checked field's wire name.
    pub field: String,
    /// The check.
    pub check: RuleCheck,
    /// The message for the user.
    pub message: String,
}

/// What a rule checks.
#[derive(Clone, Debug)]
pub enum RuleCheck {
    /// `not_one_of(...)`.
    NotOneOf(Vec<String>),
    /// `one_of(...)`.
    OneOf(Vec<String>),
    /// `items = N`.
    Items(u64),
    /// `required`.
    Required,
    /// `only_when(...)`: conditions as in `when`.
    OnlyWhen(Vec<(String, Vec<String>)>),
}

/// A field of a request struct.
#[derive(Clone, Debug)]
pub struct RequestField {
    /// The field name (possibly raw, `r#type`).
    pub name: String,
    /// The wire name.
    pub wire: String,
    /// Its documentation from the spec.
    pub doc: Option<String>,
    /// The type it holds (inside `Option` unless required).
    pub ty: RustType,
    /// `location`.
    pub location: Location,
    /// `style`.
    pub style: Option<Style>,
    /// `item`: the builder method that appends one item.
    pub item: Option<String>,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// The documented constraints.
    pub constraints: Constraints,
    /// `timestamp`: the setter also takes a point in time.
    pub timestamp: Option<Timestamp>,
    /// The type describing the JSON this string carries (`json:`), which converts into it.
    pub json: Option<String>,
}

/// What the spec says a parameter's value must be, stated once: the derive attributes, the
/// rustdoc and the registry are all printed from it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// It must be given.
    pub required: bool,
    /// Inclusive lower bound.
    pub minimum: Option<i64>,
    /// Inclusive upper bound.
    pub maximum: Option<i64>,
    /// Fewest characters.
    pub min_length: Option<u64>,
    /// Most characters.
    pub max_length: Option<u64>,
    /// Fewest items.
    pub min_items: Option<u64>,
    /// Most items.
    pub max_items: Option<u64>,
    /// The pattern a string matches.
    pub pattern: Option<String>,
    /// The value the service assumes when it is not given.
    pub default: Option<Scalar>,
    /// The enum's wire values documented for it, when it takes an enum. Documentation, not a
    /// check: a value outside them is sent as given.
    pub values: Vec<String>,
    /// Whether `values` are only some of the enum's (the spec's `values:`).
    pub subset: bool,
}

/// One constraint of [`Constraints`], in the order every text lists them.
#[derive(Clone, Debug, PartialEq)]
pub enum Constraint<'a> {
    /// `minimum` and/or `maximum`.
    Range(Option<i64>, Option<i64>),
    /// `min_length`.
    MinLength(u64),
    /// `max_length`.
    MaxLength(u64),
    /// `min_items`.
    MinItems(u64),
    /// `max_items`.
    MaxItems(u64),
    /// `pattern`.
    Pattern(&'a str),
    /// `default`.
    Default(&'a Scalar),
}

impl Constraints {
    /// The bounds, pattern and default, in the order every text lists them.
    pub fn list(&self) -> Vec<Constraint<'_>> {
        let mut out = Vec::new();
        if self.minimum.is_some() || self.maximum.is_some() {
            out.push(Constraint::Range(self.minimum, self.maximum));
        }
        out.extend(self.min_length.map(Constraint::MinLength));
        out.extend(self.max_length.map(Constraint::MaxLength));
        out.extend(self.min_items.map(Constraint::MinItems));
        out.extend(self.max_items.map(Constraint::MaxItems));
        out.extend(self.pattern.as_deref().map(Constraint::Pattern));
        out.extend(self.default.as_ref().map(Constraint::Default));
        out
    }
}

/// Whether an operation only reads or may change something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationKind {
    /// Only reads.
    Read,
    /// May create, change or delete something.
    Write,
}

impl OperationKind {
    /// Its spelling in the spec and in `#[hbr(kind = ...)]`.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationKind::Read => hbr_attr_keys::READ,
            OperationKind::Write => hbr_attr_keys::WRITE,
        }
    }
}

/// Where a top-level parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// The URL query.
    Query,
    /// The form body.
    Body,
}

impl Location {
    /// Its spelling in the spec and in `#[hbr(location = ...)]`.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Query => hbr_attr_keys::QUERY,
            Location::Body => hbr_attr_keys::BODY,
        }
    }
}

/// How an array or object parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `Filters.1.Values.2=...`.
    RepeatList,
    /// Without the list's own name.
    Flat,
    /// One JSON-encoded string.
    Json,
}

impl Style {
    /// Its spelling in the spec and in `#[hbr(style = ...)]`.
    pub fn as_str(self) -> &'static str {
        match self {
            Style::RepeatList => hbr_attr_keys::REPEAT_LIST,
            Style::Flat => hbr_attr_keys::FLAT,
            Style::Json => hbr_attr_keys::JSON,
        }
    }
}

/// A struct deriving `HbrResponse`.
#[derive(Clone, Debug)]
pub struct ResponseStruct {
    /// The type name.
    pub name: String,
    /// Its documentation from the spec.
    pub doc: Option<String>,
    /// Whether it is an operation's response (`#[hbr(output)]`).
    pub output: bool,
    /// Its fields, in documented order.
    pub fields: Vec<ResponseField>,
}

/// A field of a response struct (always optional: the service may leave any out).
#[derive(Clone, Debug)]
pub struct ResponseField {
    /// The field name.
    pub name: String,
    /// The wire name.
    pub wire: String,
    /// Its documentation from the spec.
    pub doc: Option<String>,
    /// The type it holds, inside `Option`.
    pub ty: RustType,
    /// `wrapper`: the inner key of a wrapped array.
    pub wrapper: Option<String>,
    /// `timestamp`.
    pub timestamp: Option<Timestamp>,
    /// The unit of an integer (`percent_x100` is also an attribute).
    pub unit: Option<Unit>,
    /// `json`: the shape of the JSON the string carries.
    pub json: Option<RustType>,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// The values of its enum this operation documents, when only some of them.
    pub values: Vec<String>,
}

/// What time a response integer holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timestamp {
    /// Unix seconds.
    UnixSeconds,
    /// Unix milliseconds.
    UnixMillis,
}

impl Timestamp {
    /// The timestamp the spec names.
    pub fn from_spec(name: &str) -> Option<Timestamp> {
        match name {
            hbr_attr_keys::UNIX_SECONDS => Some(Timestamp::UnixSeconds),
            hbr_attr_keys::UNIX_MILLIS => Some(Timestamp::UnixMillis),
            _ => None,
        }
    }

    /// Its spelling in the spec and in `#[hbr(timestamp = ...)]`.
    pub fn as_str(self) -> &'static str {
        match self {
            Timestamp::UnixSeconds => hbr_attr_keys::UNIX_SECONDS,
            Timestamp::UnixMillis => hbr_attr_keys::UNIX_MILLIS,
        }
    }
}

/// A Rust type of a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RustType {
    /// `String`.
    String,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `bool`.
    Bool,
    /// `serde_json::Value`: arbitrary JSON.
    Json,
    /// The runtime's inline response string.
    Text,
    /// The runtime's response string that carries JSON.
    JsonText,
    /// `Vec<T>`.
    Vec(Box<RustType>),
    /// A generated enum: of the operation's module, or shared (`crate::types`).
    Enum {
        /// Its name.
        name: String,
        /// Whether it lives in `types`.
        shared: bool,
    },
    /// A generated struct of the operation's module.
    Struct(String),
}

/// The typed filter API of a request object shaped key / operator / values.
#[derive(Clone, Debug)]
pub struct Filter {
    /// The key field.
    pub key_field: String,
    /// The key field's type.
    pub key_type: RustType,
    /// The operator field.
    pub operator_field: String,
    /// The operator field's type.
    pub operator_type: RustType,
    /// The values field.
    pub values_field: String,
    /// The object's other fields (left unset by `raw`).
    pub others: Vec<String>,
    /// The keys with a typed constructor.
    pub keys: Vec<FilterKey>,
}

/// One typed filter key.
#[derive(Clone, Debug)]
pub struct FilterKey {
    /// The key's wire name.
    pub wire: String,
    /// The constructor's name.
    pub constructor: String,
    /// What it compares.
    pub kind: FilterKeyKind,
    /// The operators it accepts, in their wire spelling.
    pub operators: &'static [&'static str],
}

/// What a typed filter key compares.
#[derive(Clone, Debug)]
pub enum FilterKeyKind {
    /// Strings.
    String,
    /// Values of this enum.
    Enum(RustType),
    /// Unix-second times.
    Time,
}

/// One parameter in the registry (`hbr call OPERATION --help`).
#[derive(Clone, Debug)]
pub struct RegistryParam {
    /// Its path: `PageSize`, `Filters.N.Values`.
    pub path: String,
    /// Its spec type: `string`, `int32`, ...
    pub ty: &'static str,
    /// Where it travels (top-level parameters only).
    pub location: Option<Location>,
    /// Its style (top-level parameters only).
    pub style: Option<Style>,
    /// Its documented constraints.
    pub constraints: Constraints,
    /// The enum it takes, if any: every value the spec knows for it, beyond the ones
    /// documented for this operation.
    pub enum_type: Option<RustType>,
    /// Its documentation from the spec.
    pub doc: Option<String>,
}
