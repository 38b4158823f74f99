//! The bottom layer: what every other layer may use and that knows nothing of shops —
//! diagnostics, slugs, the site walker and its ignore policy, MIME types.

pub mod diag;
pub mod fsread;
pub mod ignore;
pub mod mime;
pub mod slug;
pub mod walk;
