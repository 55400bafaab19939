//! Python semantics the upstream code leaks into its answers: indexing, `.get`,
//! iteration and the texts of the exceptions they raise.
