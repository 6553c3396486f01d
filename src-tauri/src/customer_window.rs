//! The customer-facing elder window (长辈版, issue 13): a second window of the same page,
//! labelled `customer`, that the teller drags to the monitor facing the customer. Its
//! capability (`capabilities/customer.json`) grants only the customer's four commands; both
//! windows mirror core's state, re-reading it on the `elder-changed` event this module emits
//! after every elder command.

use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder};

/// The label `capabilities/customer.json` grants to, and the page reads to show the customer view.
pub const LABEL: &str = "customer";
/// The event both windows listen for (ui/src/features/elder/CustomerWindow.tsx).
pub const CHANGED: &str = "elder-changed";

/// Called by every command after it succeeded: an elder command tells both windows to
/// re-read core's state, and starting a setup opens the customer's window (moving it on
/// brings it back, should someone have closed it).
pub fn after(app: &AppHandle, command: &str) {
    // Who is signed in decides what the customer's window may read (a supervisor signed in
    // to clear a stop may not): it re-reads then too, and stops asking while refused.
    let session_changed = matches!(command, "sign_in" | "sign_out" | "lock" | "unlock");
    if !command.starts_with("elder_") && !session_changed {
        return;
    }
    if matches!(command, "elder_start" | "elder_next")
        && let Err(err) = open(app)
    {
        tracing::warn!(error = %err, "the customer window did not open");
    }
    // Reads (the screen, the current session) change nothing: no event, or the windows
    // would re-read each other forever.
    let read_only = matches!(
        command,
        "elder_screen" | "elder_current" | "elder_get" | "elder_rules"
    );
    if !read_only && let Err(err) = app.emit(CHANGED, ()) {
        tracing::warn!(error = %err, "elder change event not sent");
    }
}

/// Opens (or brings forward) the customer window.
fn open(app: &AppHandle) -> tauri::Result<()> {
    if let Some(window) = app.get_webview_window(LABEL) {
        window.show()?;
        return Ok(());
    }
    WebviewWindowBuilder::new(app, LABEL, WebviewUrl::App("index.html".into()))
        .title("长辈版 · 请看这里")
        .inner_size(1024.0, 768.0)
        .min_inner_size(800.0, 600.0)
        .build()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Tauri's own access control, as the app resolves it from its capabilities: what the
    //! customer window may call and what it may not. The request goes through Tauri's IPC
    //! path (`get_ipc_response`), where the ACL is checked before any command runs.
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder};
    use tauri::webview::InvokeRequest;

    fn call(window: &tauri::WebviewWindow<tauri::test::MockRuntime>, cmd: &str) -> String {
        let answer = get_ipc_response(
            window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().expect("url"),
                body: InvokeBody::default(),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        );
        match answer {
            Ok(_) => "ran".to_owned(),
            Err(err) => err.to_string(),
        }
    }

    fn refused_by_acl(answer: &str) -> bool {
        answer.contains("not allowed")
    }

    #[test]
    fn the_customer_window_cannot_call_a_staff_command() {
        // No command handlers registered: a command the ACL lets through answers "not
        // found"; one it refuses never gets that far.
        let app = mock_builder()
            .build(tauri::generate_context!(test = true))
            .expect("app");
        let customer = tauri::WebviewWindowBuilder::new(&app, super::LABEL, Default::default())
            .build()
            .expect("customer window");
        for staff_command in [
            "elder_start",
            "elder_next",
            "elder_resolve",
            "customer_search",
            "customer_reveal_id",
            "onboarding_submit",
            "audit_search",
            "sign_in",
        ] {
            let answer = call(&customer, staff_command);
            assert!(refused_by_acl(&answer), "{staff_command}: {answer}");
        }
        for customer_command in [
            "elder_screen",
            "elder_answer",
            "elder_repeat",
            "elder_more_time",
            "elder_practice_enter",
            "elder_practice_pay",
            "elder_practice_undo",
        ] {
            let answer = call(&customer, customer_command);
            assert!(!refused_by_acl(&answer), "{customer_command}: {answer}");
        }
    }

    #[test]
    fn the_staff_window_cannot_answer_for_the_customer() {
        let app = mock_builder()
            .build(tauri::generate_context!(test = true))
            .expect("app");
        let main = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("main window");
        // Nor type the customer's payment password, nor pay or undo for them.
        for customer_command in [
            "elder_answer",
            "elder_practice_enter",
            "elder_practice_pay",
            "elder_practice_undo",
        ] {
            let answer = call(&main, customer_command);
            assert!(refused_by_acl(&answer), "{customer_command}: {answer}");
        }
        for staff_command in ["elder_start", "customer_search", "sign_in"] {
            let answer = call(&main, staff_command);
            assert!(!refused_by_acl(&answer), "{staff_command}: {answer}");
        }
    }
}
