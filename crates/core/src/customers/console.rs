//! Customer commands.

use super::search::{self, CustomerHit, SearchQuery};
use crate::access::Permission;
use crate::console::Console;
use crate::error::Result;

impl Console {
    /// Search while typing. Not audited per keystroke (a teller types a dozen characters to
    /// find one person); opening a customer's record is what the trail records.
    pub async fn customer_search(&self, query: SearchQuery) -> Result<Vec<CustomerHit>> {
        self.authorize(Permission::ViewCustomers).await?;
        search::search(self.store().read(), &query.text).await
    }
}
