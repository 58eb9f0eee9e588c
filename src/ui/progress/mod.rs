//! A trainee's progress, every result on this device, and the printable track report.

pub mod my_progress;
pub mod report;
pub mod results;
