//! The request path: body parsing, the controller's own checks, validation stages and items.
