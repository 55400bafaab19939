//! pydantic v1 error records and `str(ValidationError)`.

/// One step of a pydantic error location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loc {
    Key(String),
    Index(usize),
}

impl Loc {
    pub fn key(k: &str) -> Loc {
        Loc::Key(k.to_string())
    }

    pub fn root() -> Loc {
        Loc::Key(ROOT.to_string())
    }
}

pub const ROOT: &str = "__root__";

/// One entry of pydantic's `ValidationError.errors()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyError {
    pub loc: Vec<Loc>,
    pub msg: String,
    /// `type_error.str`, `value_error.missing`, ...
    pub ty: String,
    /// `ctx` entries as displayed (`pattern`, `limit_value`, `error`).
    pub ctx: Vec<(&'static str, String)>,
}

impl PyError {
    pub fn new(msg: impl Into<String>, ty: impl Into<String>) -> Self {
        PyError {
            loc: Vec::new(),
            msg: msg.into(),
            ty: ty.into(),
            ctx: Vec::new(),
        }
    }

    pub fn with_ctx(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.ctx.push((key, value.into()));
        self
    }

    /// Prefixes the location (an `ErrorWrapper(exc, loc)` around a nested error).
    pub fn under(mut self, prefix: &[Loc]) -> Self {
        let mut loc = prefix.to_vec();
        loc.append(&mut self.loc);
        self.loc = loc;
        self
    }

    pub fn at(mut self, loc: Vec<Loc>) -> Self {
        self.loc = loc;
        self
    }

    /// `a -> 0 -> b`
    pub fn loc_text(&self) -> String {
        let parts: Vec<String> = self
            .loc
            .iter()
            .map(|l| match l {
                Loc::Key(k) => k.clone(),
                Loc::Index(i) => i.to_string(),
            })
            .collect();
        parts.join(" -> ")
    }

    /// `msg (type=...; k=v)`
    pub fn detail_text(&self) -> String {
        let mut t = format!("{} (type={}", self.msg, self.ty);
        for (k, v) in &self.ctx {
            t.push_str(&format!("; {k}={v}"));
        }
        t.push(')');
        t
    }

    // The pydantic error classes the FHIR models raise.

    pub fn missing() -> Self {
        PyError::new("field required", "value_error.missing")
    }

    pub fn extra() -> Self {
        PyError::new("extra fields not permitted", "value_error.extra")
    }

    pub fn none_not_allowed() -> Self {
        PyError::new(
            "none is not an allowed value",
            "type_error.none.not_allowed",
        )
    }

    pub fn list() -> Self {
        PyError::new("value is not a valid list", "type_error.list")
    }

    pub fn str_type() -> Self {
        PyError::new("str type expected", "type_error.str")
    }

    pub fn bytes_type() -> Self {
        PyError::new("byte type expected", "type_error.bytes")
    }

    pub fn regex(pattern: &str) -> Self {
        PyError::new(
            format!("string does not match regex \"{pattern}\""),
            "value_error.str.regex",
        )
        .with_ctx("pattern", pattern)
    }

    pub fn min_length(limit: usize) -> Self {
        PyError::new(
            format!("ensure this value has at least {limit} characters"),
            "value_error.any_str.min_length",
        )
        .with_ctx("limit_value", limit.to_string())
    }

    pub fn max_length(limit: usize) -> Self {
        PyError::new(
            format!("ensure this value has at most {limit} characters"),
            "value_error.any_str.max_length",
        )
        .with_ctx("limit_value", limit.to_string())
    }

    pub fn bool_parse() -> Self {
        PyError::new("value could not be parsed to a boolean", "type_error.bool")
    }

    pub fn integer() -> Self {
        PyError::new("value is not a valid integer", "type_error.integer")
    }

    pub fn not_gt(limit: i64) -> Self {
        PyError::new(
            format!("ensure this value is greater than {limit}"),
            "value_error.number.not_gt",
        )
        .with_ctx("limit_value", limit.to_string())
    }

    pub fn not_ge(limit: i64) -> Self {
        PyError::new(
            format!("ensure this value is greater than or equal to {limit}"),
            "value_error.number.not_ge",
        )
        .with_ctx("limit_value", limit.to_string())
    }

    pub fn decimal() -> Self {
        PyError::new("value is not a valid decimal", "type_error.decimal")
    }

    pub fn decimal_not_finite() -> Self {
        PyError::new(
            "value is not a valid decimal",
            "value_error.decimal.not_finite",
        )
    }

    pub fn date() -> Self {
        PyError::new("invalid date format", "value_error.date")
    }

    pub fn datetime() -> Self {
        PyError::new("invalid datetime format", "value_error.datetime")
    }

    pub fn time() -> Self {
        PyError::new("invalid time format", "value_error.time")
    }

    pub fn uuid() -> Self {
        PyError::new("value is not a valid uuid", "type_error.uuid")
    }

    /// A plain `ValueError(msg)`.
    pub fn value_error(msg: impl Into<String>) -> Self {
        PyError::new(msg, "value_error")
    }

    /// A plain `TypeError(msg)`.
    pub fn type_error(msg: impl Into<String>) -> Self {
        PyError::new(msg, "type_error")
    }
}

/// `str(ValidationError)` for `model` with these errors.
pub fn render(model: &str, errors: &[PyError]) -> String {
    let n = errors.len();
    let mut out = format!(
        "{} validation error{} for {}",
        n,
        if n == 1 { "" } else { "s" },
        model
    );
    for e in errors {
        out.push('\n');
        out.push_str(&e.loc_text());
        out.push_str("\n  ");
        out.push_str(&e.detail_text());
    }
    out
}
