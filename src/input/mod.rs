//! placeholder: owned by the input work
