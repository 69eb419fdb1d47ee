//! Serde shapes of the SBOM formats bomsight writes (and will read). Every object keeps the
//! fields it does not name in `extra`, so a document read and written again loses nothing.

pub mod cyclonedx;
pub mod spdx;
