//! Reading: a module's page, the lesson reader, citations of the manuals, search.

pub mod citation;
pub mod module_page;
pub mod reader;
pub mod search;
