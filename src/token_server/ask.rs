//! Getting the tokens a run joins with from the user's own token server (`probe --token-server`),
//! the way their app asks for one: the URL template filled for a publisher of the channel, a GET
//! from the page's origin, and the token found in the answer as `token-server` finds it. Judging
//! the server (CORS, roles, lifetimes) is the `token-server` command's job, named in every error.

use std::time::Duration;

use super::fetch;
use super::judge::find_token;
use super::template::{fill, Fill};

/// Each network operation (connect, TLS, the whole answer) may take this long.
pub const TIMEOUT: Duration = Duration::from_secs(5);
/// The lifetime asked for, seconds (the templates' `{expire}`): long enough for any probe run.
const EXPIRE: u32 = 3600;
/// The origin the request carries, as a page served by a local dev server sends it.
const ORIGIN: &str = "http://localhost:3000";

/// Publisher tokens for `channel` and each of `users` (a numeric uid, "0" for any, or a user
/// account) from the token server at `template`, asked one after the other over one client; the
/// error names the URL and the next step.
pub fn publisher_tokens(
    template: &str,
    channel: &str,
    users: &[&str],
) -> Result<Vec<String>, String> {
    let next = format!(
        "run `agora-doctor token-server '{template}'` to see what the server answers and why"
    );
    let urls: Vec<String> = users
        .iter()
        .map(|user| {
            fill(
                template,
                &Fill {
                    channel,
                    user,
                    is_account: user.parse::<u64>().is_err(),
                    role: "publisher",
                    expire: EXPIRE,
                },
            )
        })
        .collect();
    for url in &urls {
        match url::Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            _ => {
                return Err(format!(
                    "--token-server {template:?} is not an http(s) URL template; pass e.g. 'http://localhost:8080/rtc/{{channel}}/{{role}}/{{tokentype}}/{{uid}}?expiry={{expire}}'"
                ))
            }
        }
    }
    // The run's own runtime starts later; this one lives for these requests alone.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the async runtime: {e}"))?;
    runtime.block_on(async {
        let client = fetch::client(TIMEOUT)?;
        let mut tokens = Vec::with_capacity(urls.len());
        for url in &urls {
            let answer = fetch::get(&client, url, ORIGIN)
                .await
                .map_err(|e| format!("--token-server: asking {url} for a token: {e}; {next}"))?;
            tokens.push(token_of(url, &answer, &next)?);
        }
        Ok(tokens)
    })
}

/// The token in `answer` to the request for `url` (pure).
fn token_of(url: &str, answer: &fetch::Answer, next: &str) -> Result<String, String> {
    if !(200..300).contains(&answer.status) {
        return Err(format!(
            "--token-server: {url} answered HTTP {} instead of a token; {next}",
            answer.status
        ));
    }
    find_token(&answer.body)
        .map(|(_, token)| token)
        .ok_or_else(|| {
            format!("--token-server: {url} answered without a token (no JSON field, nor the whole body, holds one that decodes); {next}")
        })
}
