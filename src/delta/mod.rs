//! The delta-table item the stream handler writes (upstream `lambdas/delta_backend`).
