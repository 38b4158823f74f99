//! Search: the tokenizer (`tokens.rs`), the Traditional → Simplified fold (`fold.rs`, from an
//! OpenCC-derived table) and the sharded index the browser downloads (`index.rs`). Pure: text
//! in, terms and shard JSON out. `render/search.rs` decides what each document is made of and
//! writes the files; the theme's `assets/js/search.js` reads them with the same rules.

pub mod fold;
pub mod index;
pub mod tokens;

/// The search manifest's path in the output: not fingerprinted (the theme's pages name it),
/// so it is served like a page, revalidated every time, and uploaded after the files it names.
pub const MANIFEST: &str = "search/index.json";

/// The version of the index's rules and files: raise it with any change to the tokenizer or
/// to what the files hold, so that a build never keeps files an earlier version made.
pub const FORMAT: u32 = 1;
