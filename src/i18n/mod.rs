//! placeholder: owned by the i18n work
