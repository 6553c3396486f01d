//! The customer's disputes and complaints, as the Customer 360 lists them.

use crate::access::Permission;
use crate::console::Console;
use crate::error::Result;
use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

/// One case of either desk, as a line in the Customer 360.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaseLine {
    /// "dispute" or "complaint".
    pub kind: String,
    pub id: i64,
    pub case_no: String,
    /// The desk's own status word ("open", "decided_customer", "paused", ...).
    pub status: String,
    pub opened_on: String,
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerCases {
    pub disputes: Vec<CaseLine>,
    pub complaints: Vec<CaseLine>,
}

/// The newest cases first; a customer with more has them on the desks' own screens.
const MAX_LINES: i64 = 50;

impl Console {
    /// A customer's disputes and complaints (offline too: from the local store). Only the
    /// case numbers and states: the case itself opens on its desk, under its own rules.
    pub async fn customer_cases(&self, customer_id: String) -> Result<CustomerCases> {
        self.authorize(Permission::ViewCustomers).await?;
        let read = |sql: &'static str, kind: &'static str| {
            let customer_id = customer_id.clone();
            async move {
                sqlx::query(sql)
                    .bind(customer_id)
                    .bind(MAX_LINES)
                    .fetch_all(self.store().read())
                    .await?
                    .into_iter()
                    .map(|r| {
                        Ok(CaseLine {
                            kind: kind.to_owned(),
                            id: r.try_get("id")?,
                            case_no: r.try_get("case_no")?,
                            status: r.try_get("status")?,
                            opened_on: r.try_get("opened_on")?,
                            due_on: r.try_get("due_on")?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()
            }
        };
        Ok(CustomerCases {
            disputes: read(
                "SELECT id, case_no, status, notice_on AS opened_on, due_on FROM disputes \
                 WHERE customer_id = ? ORDER BY id DESC LIMIT ?",
                "dispute",
            )
            .await?,
            complaints: read(
                "SELECT id, case_no, status, received_on AS opened_on, due_on FROM complaints \
                 WHERE customer_id = ? ORDER BY id DESC LIMIT ?",
                "complaint",
            )
            .await?,
        })
    }
}
