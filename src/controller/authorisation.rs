//! `Authoriser.authorise` where the caller switched permissions on.

use super::answer::Answer;
use super::options::Options;
use crate::permissions::{self, ApiOperation};

/// `UnauthorizedVaxError` (403) when the supplier lacks `operation` for any of `vaccine_types`.
pub fn authorise(
    options: &Options,
    supplier: &str,
    operation: ApiOperation,
    vaccine_types: &[&str],
) -> Result<(), Answer> {
    let Some(table) = &options.permissions else {
        return Ok(());
    };
    match permissions::authorise_checked(table, supplier, operation, vaccine_types) {
        Ok(true) => Ok(()),
        Ok(false) => Err(Answer::rejected(
            permissions::FORBIDDEN_STATUS,
            permissions::FORBIDDEN_CODE,
            permissions::UNAUTHORISED_VACCINE_TYPE,
        )),
        Err(_) => Err(Answer::server_error()),
    }
}
