//! The JSON payload encoding shared by every SDK (see sdks/interop/vectors.json): compact (no
//! spaces), object keys in insertion order (serde_json's `preserve_order`), non-ASCII characters
//! written as UTF-8 (not escaped), `"` and `\` escaped, control characters as `\b \t \n \f \r`
//! or `\u00XX` with lower-case hex digits.
use crate::error::{Error, Result};
use serde::{de::DeserializeOwned, Serialize};

/// Compact JSON bytes of `value`.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::Encode(e.to_string()))
}

/// Parses JSON bytes.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::Decode(e.to_string()))
}

pub use serde_json::{json, Map, Value};
