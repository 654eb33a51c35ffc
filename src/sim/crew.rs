//! Who plays each role in a simulation: the scenario's personas, with `--bot` overrides,
//! each a policy and, after it, parameters to sweep a persona without editing the file
//! (`duty_exec=deferrer:patience=3:reaction=2-8`).

use crate::engine::model::{BotSpec, Policy, RoleIx, Scenario};

/// The parameters a `--bot` may set after its policy.
pub const PARAMS: &str =
    "reaction=MIN-MAX, retry=MIN, patience=N, acts_alone_after=MIN, gives_in_at=TIME";

/// Sets one `key=value` parameter of a persona.
fn param(sc: &Scenario, spec: &mut BotSpec, kv: &str) -> Result<(), String> {
    let (key, value) = kv
        .split_once('=')
        .ok_or_else(|| format!("`{kv}` is not KEY=VALUE (parameters: {PARAMS})"))?;
    let (key, value) = (key.trim(), value.trim());
    let number = |v: &str| {
        v.parse::<u32>()
            .map_err(|_| format!("`{v}` is not a whole number of minutes for `{key}`"))
    };
    match key {
        "reaction" => {
            let (lo, hi) = value.split_once('-').unwrap_or((value, value));
            let (lo, hi) = (number(lo)?, number(hi)?);
            if lo > hi {
                return Err(format!("the reaction `{value}` runs backwards"));
            }
            spec.reaction = (lo, hi);
        }
        "retry" => spec.retry = number(value)?,
        "patience" => spec.patience = number(value)?,
        "acts_alone_after" => spec.acts_alone_after = Some(number(value)?),
        "gives_in_at" => {
            spec.gives_in_at = Some(
                crate::engine::time::parse_time(sc.start, value).map_err(|_| {
                    format!("`{value}` is not a time (`07:30`, `Mon 09:00`, `+2:00`)")
                })?,
            );
        }
        _ => return Err(format!("unknown parameter `{key}` (parameters: {PARAMS})")),
    }
    Ok(())
}

/// Who plays each role: the scenario's personas, with `--bot ROLE=POLICY` overrides.
pub fn crew_spec(sc: &Scenario, overrides: &[String]) -> Result<Vec<(RoleIx, BotSpec)>, String> {
    let mut seats: Vec<(RoleIx, BotSpec)> = (0..sc.roles.len())
        .filter_map(|r| RoleIx::try_from(r).ok())
        .map(|r| (r, sc.default_bot(r)))
        .collect();
    let roles = || {
        sc.roles
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let policies = || {
        Policy::ALL
            .iter()
            .map(|p| p.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for o in overrides {
        let Some((role, policy)) = o.split_once('=') else {
            return Err(format!(
                "`--bot {o}` is not ROLE=POLICY (roles: {}; policies: {})",
                roles(),
                policies()
            ));
        };
        let Some(r) = sc.role_index(role.trim()) else {
            return Err(format!(
                "unknown role `{role}` in `--bot {o}`: the roles of {} are {}",
                sc.id,
                roles()
            ));
        };
        let mut parts = policy.split(':');
        let policy = parts.next().unwrap_or_default();
        let Some(p) = Policy::from_name(policy.trim()) else {
            return Err(format!(
                "unknown policy `{policy}` in `--bot {o}`: the policies are {}",
                policies()
            ));
        };
        let default = sc.default_bot(r);
        // The scenario's parameters stay when it names the same policy.
        let mut spec = if default.policy == p {
            default
        } else {
            BotSpec::new(p)
        };
        // A piece without `=` belongs to the one before (a time: `gives_in_at=05:00`).
        let mut params: Vec<String> = Vec::new();
        for piece in parts {
            match params.last_mut() {
                Some(last) if !piece.contains('=') => {
                    last.push(':');
                    last.push_str(piece);
                }
                _ => params.push(piece.to_owned()),
            }
        }
        for kv in &params {
            param(sc, &mut spec, kv).map_err(|e| format!("in `--bot {o}`: {e}"))?;
        }
        seats[usize::from(r)] = (r, spec);
    }
    Ok(seats)
}
