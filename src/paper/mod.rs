//! placeholder: owned by the paper work
