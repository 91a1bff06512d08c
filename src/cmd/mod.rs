//! placeholder: owned by the cmd work
