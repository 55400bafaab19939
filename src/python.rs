//! Python semantics the upstream code leaks into its answers: indexing, `.get`,
//! iteration and the texts of the exceptions they raise.

/// The Python exception classes whose difference matters to the service's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PyExcKind {
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    KeyError,
    /// Upstream `common.models.errors.MandatoryError` (not a `ValueError`).
    MandatoryError,
    RecursionError,
}

/// A raised Python exception: its class, `str(exception)`, and the upstream
/// field location of the rule that raised it (for pointing at the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyException {
    pub kind: PyExcKind,
    /// `str(exception)` exactly as Python renders it (a `KeyError('x')` renders as `'x'`).
    pub message: String,
    /// Upstream field location the failing rule was checking; empty when none.
    pub location: String,
}

impl PyException {
    pub fn new(kind: PyExcKind, message: impl Into<String>) -> Self {
        PyException {
            kind,
            message: message.into(),
            location: String::new(),
        }
    }

    /// Attaches the field location of the rule that raised this exception, unless it already has one.
    pub fn at(mut self, location: impl Into<String>) -> Self {
        if self.location.is_empty() {
            self.location = location.into();
        }
        self
    }

    pub fn value_error(message: impl Into<String>) -> Self {
        Self::new(PyExcKind::ValueError, message)
    }

    pub fn type_error(message: impl Into<String>) -> Self {
        Self::new(PyExcKind::TypeError, message)
    }

    /// Whether `except (ValueError, TypeError, IndexError, AttributeError)` catches it.
    pub fn is_common_validation_error(&self) -> bool {
        matches!(
            self.kind,
            PyExcKind::ValueError
                | PyExcKind::TypeError
                | PyExcKind::IndexError
                | PyExcKind::AttributeError
        )
    }
}

/// What a Python expression evaluates to, or the exception it raises.
pub type PyResult<T> = Result<T, PyException>;
