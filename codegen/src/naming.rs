//! Rust names from spec names: fields, enum variants, modules, the types of an operation. The
//! validator checks that names are usable and distinct with these functions, and the IR takes
//! its names from them, so the two cannot disagree.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust's keywords, strict and reserved.
pub const RUST_KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers either (`r#self` is not valid Rust).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// The variant that keeps enum values the SDK does not know.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The associated const of a typed filter type listing its keys.
pub const FILTER_KEYS_CONST: &str = "FILTER_KEYS";

/// The Rust field name of a wire name (a valid identifier for every wire name validation
/// accepts: one that starts with an ASCII letter).
///
/// ```
/// use hbr_codegen::naming::field_name;
/// assert_eq!(field_name("PageSize"), "page_size");
/// assert_eq!(field_name("Type"), "r#type");
/// assert_eq!(field_name("Self"), "self_");
/// ```
pub fn field_name(wire: &str) -> String {
    let snake = wire.to_snake_case();
    if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else if RUST_KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// The Rust variant name of an enum wire value.
///
/// ```
/// use hbr_codegen::naming::variant_name;
/// assert_eq!(variant_name("ECS_FILE"), "EcsFile");
/// assert_eq!(variant_name("7d"), "V7d");
/// // `Unknown(String)` keeps the values the SDK does not know; a documented `UNKNOWN` is
/// // another variant.
/// assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
/// ```
pub fn variant_name(wire: &str) -> String {
    let camel = wire.to_upper_camel_case();
    match camel.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("V{camel}"),
        None => "Empty".into(),
        _ if camel == UNKNOWN_VARIANT => format!("{camel}Value"),
        _ => camel,
    }
}

/// The module of an operation: `DescribeRestoreJobs2` → `describe_restore_jobs2`.
pub fn module_name(op: &str) -> String {
    op.to_snake_case()
}

/// The request type of an operation: `DescribeRestoreJobs2Request`.
pub fn request_type(op: &str) -> String {
    format!("{op}Request")
}

/// The response type of an operation: `DescribeRestoreJobs2Response`.
pub fn response_type(op: &str) -> String {
    format!("{op}Response")
}

/// Whether a type name is UpperCamelCase (a capital, then letters and digits).
pub fn is_upper_camel(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The UpperCamelCase spelling to suggest for a name that is not.
pub fn upper_camel(name: &str) -> String {
    name.to_upper_camel_case()
}

/// Whether a builder method name is snake_case, starts with a letter and is no keyword.
pub fn is_method_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.to_snake_case() == name
        && !RUST_KEYWORDS.contains(&name)
}

/// The snake_case spelling to suggest for a method name that is not.
pub fn snake(name: &str) -> String {
    name.to_snake_case()
}
