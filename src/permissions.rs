//! Which supplier may do what to which vaccine type (upstream `Authoriser`,
//! `ApiOperationCode`, and the supplier-permission config files the service
//! loads into its cache).
//!
//! A supplier's permissions are strings `"<VACCINE TYPE>.<operations>"`, such as
//! `"COVID.CRUDS"` or `"FLU.CD"`: the letters `c`, `r`, `u`, `d`, `s` (any case)
//! grant create, read, update, delete and search; other letters are ignored.
//! Vaccine types match case-insensitively; a later permission for the same
//! vaccine type replaces an earlier one. A supplier the config does not list
//! has no permissions. A request is authorised when every vaccine type it
//! touches grants the operation; otherwise the service answers 403 `forbidden`
//! "Unauthorized request for vaccine type".

use serde_json::Value as JsonValue;

use crate::api::Outcome;
use crate::raised::Raised;
use crate::reference;

/// `issue[0].code` of the refusal.
pub const FORBIDDEN_CODE: &str = "forbidden";
/// `issue[0].diagnostics` of the refusal.
pub const UNAUTHORISED_VACCINE_TYPE: &str = "Unauthorized request for vaccine type";
/// HTTP status of the refusal.
pub const FORBIDDEN_STATUS: u16 = 403;

/// The service's answer when the supplier may not perform the operation.
pub fn unauthorised_outcome() -> Outcome {
    Outcome::rejected(FORBIDDEN_STATUS, FORBIDDEN_CODE, UNAUTHORISED_VACCINE_TYPE)
}

/// The operations a permission can grant (upstream `ApiOperationCode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiOperation {
    Create,
    Read,
    Update,
    Delete,
    Search,
}

impl ApiOperation {
    /// The letter that grants the operation in a permission string.
    pub fn code(self) -> char {
        match self {
            ApiOperation::Create => 'c',
            ApiOperation::Read => 'r',
            ApiOperation::Update => 'u',
            ApiOperation::Delete => 'd',
            ApiOperation::Search => 's',
        }
    }
}

/// The deployments whose permission config is embedded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Dev,
    Preprod,
    Prod,
}

impl Environment {
    /// The embedded config file for the deployment (its JSON, without the whitespace between tokens).
    pub fn config_json(self) -> &'static str {
        match self {
            Environment::Dev => reference::PERMISSIONS_DEV,
            Environment::Preprod => reference::PERMISSIONS_PREPROD,
            Environment::Prod => reference::PERMISSIONS_PROD,
        }
    }
}

/// Each supplier's permission strings, as the service's cache holds them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SupplierPermissions {
    /// `(supplier, permissions)` in config order; a later entry for the same supplier replaces an earlier one.
    suppliers: Vec<(String, Vec<String>)>,
}

impl SupplierPermissions {
    /// The embedded config of a deployment.
    pub fn embedded(environment: Environment) -> SupplierPermissions {
        SupplierPermissions::from_json(environment.config_json()).unwrap_or_default()
    }

    /// Reads a config in the service's shape: a list of
    /// `{"supplier": ..., "permissions": ["COVID.CRUDS", ...], "ods_codes": [...]}`.
    /// Entries lacking `supplier` or `permissions` are skipped, as the service's loader skips them.
    pub fn from_json(text: &str) -> Result<SupplierPermissions, String> {
        let parsed: JsonValue = serde_json::from_str(text)
            .map_err(|e| format!("supplier permissions are not JSON: {e}"))?;
        let JsonValue::Array(items) = parsed else {
            return Err("supplier permissions must be a list of suppliers".to_string());
        };
        let mut suppliers: Vec<(String, Vec<String>)> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let JsonValue::Object(entry) = item else {
                return Err(format!(
                    "supplier permissions entry {index} must be an object"
                ));
            };
            let (Some(supplier), Some(permissions)) =
                (entry.get("supplier"), entry.get("permissions"))
            else {
                continue;
            };
            let Some(supplier) = supplier.as_str() else {
                return Err(format!(
                    "supplier permissions entry {index}: supplier must be a string"
                ));
            };
            let permissions = permissions
                .as_array()
                .and_then(|list| {
                    list.iter()
                        .map(|p| p.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| {
                    format!(
                        "supplier permissions entry {index}: permissions must be a list of strings"
                    )
                })?;
            match suppliers.iter_mut().find(|(name, _)| name == supplier) {
                Some(slot) => slot.1 = permissions,
                None => suppliers.push((supplier.to_string(), permissions)),
            }
        }
        Ok(SupplierPermissions { suppliers })
    }

    /// Permissions that grant every operation on every vaccine type in `vaccine_types` to each supplier listed.
    pub fn allow_all<S: AsRef<str>>(suppliers: &[S], vaccine_types: &[S]) -> SupplierPermissions {
        let permissions: Vec<String> = vaccine_types
            .iter()
            .map(|v| format!("{}.CRUDS", v.as_ref()))
            .collect();
        SupplierPermissions {
            suppliers: suppliers
                .iter()
                .map(|s| (s.as_ref().to_string(), permissions.clone()))
                .collect(),
        }
    }

    /// The suppliers the config lists, in config order.
    pub fn suppliers(&self) -> impl Iterator<Item = &str> {
        self.suppliers.iter().map(|(name, _)| name.as_str())
    }

    /// A supplier's permission strings as configured (empty for an unknown supplier).
    pub fn permissions_of(&self, supplier: &str) -> &[String] {
        self.suppliers
            .iter()
            .find(|(name, _)| name == supplier)
            .map(|(_, permissions)| permissions.as_slice())
            .unwrap_or(&[])
    }

    /// The supplier's permissions expanded to `(lower-case vaccine type, operation letters)`
    /// (upstream `_expand_permissions`). A permission without a `.` makes the service
    /// raise `ValueError` while authorising, which it answers 500.
    pub fn expanded(&self, supplier: &str) -> Result<Vec<(String, Vec<char>)>, Raised> {
        let mut expanded: Vec<(String, Vec<char>)> = Vec::new();
        for permission in self.permissions_of(supplier) {
            let Some((vaccine_type, letters)) = permission.split_once('.') else {
                return Err(Raised::Unhandled {
                    python: "ValueError: not enough values to unpack (expected 2, got 1)"
                        .to_string(),
                });
            };
            let vaccine_type = vaccine_type.to_lowercase();
            let granted: Vec<char> = letters
                .to_lowercase()
                .chars()
                .filter(|c| matches!(c, 'c' | 'r' | 'u' | 'd' | 's'))
                .collect();
            match expanded.iter_mut().find(|(v, _)| *v == vaccine_type) {
                Some(slot) => slot.1 = granted,
                None => expanded.push((vaccine_type, granted)),
            }
        }
        Ok(expanded)
    }
}

/// Whether `supplier` may perform `operation` on every one of `vaccine_types`
/// (upstream `Authoriser.authorise`); `Err` is the service's 500 for a malformed
/// permission string of that supplier.
pub fn authorise_checked(
    permissions: &SupplierPermissions,
    supplier: &str,
    operation: ApiOperation,
    vaccine_types: &[&str],
) -> Result<bool, Raised> {
    let expanded = permissions.expanded(supplier)?;
    Ok(vaccine_types.iter().all(|vaccine_type| {
        let wanted = vaccine_type.to_lowercase();
        expanded
            .iter()
            .find(|(v, _)| *v == wanted)
            .is_some_and(|(_, granted)| granted.contains(&operation.code()))
    }))
}

/// Whether `supplier` may perform `operation` on every one of `vaccine_types`;
/// a malformed permission string of that supplier denies.
pub fn authorise(
    permissions: &SupplierPermissions,
    supplier: &str,
    operation: ApiOperation,
    vaccine_types: &[&str],
) -> bool {
    authorise_checked(permissions, supplier, operation, vaccine_types).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_configs_parse() {
        // Suppliers listed only with ODS codes (PINNACLE, ...) have no permissions entry.
        for (environment, with_permissions) in [
            (Environment::Dev, 12),
            (Environment::Preprod, 12),
            (Environment::Prod, 7),
        ] {
            let parsed = SupplierPermissions::from_json(environment.config_json()).unwrap();
            assert_eq!(
                parsed.suppliers().count(),
                with_permissions,
                "{environment:?}"
            );
            assert!(!authorise(
                &parsed,
                "PINNACLE",
                ApiOperation::Create,
                &["COVID"]
            ));
        }
    }

    #[test]
    fn dev_grants_as_configured() {
        let dev = SupplierPermissions::embedded(Environment::Dev);
        // MAVIS: ["FLU.CRUDS", "HPV.CUD"]; SONAR: ["FLU.CD"].
        assert!(authorise(&dev, "MAVIS", ApiOperation::Create, &["FLU"]));
        assert!(authorise(&dev, "MAVIS", ApiOperation::Update, &["hpv"]));
        assert!(!authorise(&dev, "MAVIS", ApiOperation::Read, &["HPV"]));
        assert!(!authorise(&dev, "MAVIS", ApiOperation::Create, &["COVID"]));
        assert!(!authorise(
            &dev,
            "MAVIS",
            ApiOperation::Update,
            &["FLU", "COVID"]
        ));
        assert!(authorise(&dev, "SONAR", ApiOperation::Delete, &["FLU"]));
        assert!(!authorise(&dev, "SONAR", ApiOperation::Update, &["FLU"]));
        assert!(!authorise(&dev, "NOBODY", ApiOperation::Create, &["FLU"]));
        assert!(authorise(&dev, "NOBODY", ApiOperation::Create, &[]));
    }

    #[test]
    fn later_permission_for_a_vaccine_type_replaces_the_earlier() {
        let perms = SupplierPermissions::from_json(
            r#"[{"supplier": "X", "permissions": ["flu.CRUDS", "FLU.r", "COVID.cXz"]},
                {"permissions": ["FLU.CRUDS"]}]"#,
        )
        .unwrap();
        assert!(authorise(&perms, "X", ApiOperation::Read, &["Flu"]));
        assert!(!authorise(&perms, "X", ApiOperation::Create, &["FLU"]));
        assert!(authorise(&perms, "X", ApiOperation::Create, &["COVID"]));
        assert_eq!(perms.suppliers().collect::<Vec<_>>(), vec!["X"]);
    }

    #[test]
    fn permission_without_a_dot_is_the_services_500() {
        let perms =
            SupplierPermissions::from_json(r#"[{"supplier": "X", "permissions": ["FLU"]}]"#)
                .unwrap();
        assert!(matches!(
            authorise_checked(&perms, "X", ApiOperation::Create, &["FLU"]),
            Err(Raised::Unhandled { .. })
        ));
        assert!(!authorise(&perms, "X", ApiOperation::Create, &["FLU"]));
    }

    #[test]
    fn refusal_outcome() {
        let outcome = unauthorised_outcome();
        assert_eq!(outcome.status, 403);
        assert_eq!(outcome.code.as_deref(), Some("forbidden"));
        assert_eq!(
            outcome.diagnostics.as_deref(),
            Some("Unauthorized request for vaccine type")
        );
    }
}
