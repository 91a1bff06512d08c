//! placeholder: owned by the bundle work
