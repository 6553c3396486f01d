//! placeholder, replaced by the sandbox helper
#[derive(Debug)]
pub struct ResidentId;
#[derive(Debug)]
pub struct Mobile;
#[derive(Debug)]
pub enum Sex {}
