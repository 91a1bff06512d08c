//! placeholder: owned by the record work
