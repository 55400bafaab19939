//! Mandation rules and what each demands of a field's value (upstream
//! `MandationRules`, `MandationFunctions`).

/// How strongly a field is demanded for a vaccine type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MandationRule {
    /// The value must not be `None`: "`<location>` is a mandatory field".
    Mandatory,
    /// Any value, or none, passes.
    Required,
    /// Any value, or none, passes.
    Optional,
}

impl MandationRule {
    /// The failure text when a field under this rule is absent, if the rule rejects absence.
    pub fn failure(self, present: bool, location: &str) -> Option<String> {
        match self {
            MandationRule::Mandatory if !present => {
                Some(format!("{location} is a mandatory field"))
            }
            _ => None,
        }
    }
}
