//! The terms of the field a participant may meet in a packet, with a plain definition each.
//! A handout's glossary lists the ones its own text uses, so a business reader meets
//! "EDR" and "IOC" explained and a responder meets "duty executive" and "RTO".

/// A term and what it means.
pub struct Term {
    pub term: &'static str,
    pub meaning: &'static str,
}

/// The terms, alphabetically. An all-capitals term matches only as written; any other
/// matches in any case. Each matches a whole word.
pub const TERMS: &[Term] = &[
    Term {
        term: "C2",
        meaning: "Command and control: the channel an attacker uses to steer malware on a compromised machine.",
    },
    Term {
        term: "CISO",
        meaning: "Chief information security officer: the executive accountable for information security.",
    },
    Term {
        term: "containment",
        meaning: "Stopping an incident from spreading (isolating a host, disabling an account), usually before it is fully understood.",
    },
    Term {
        term: "CRM",
        meaning: "Customer relationship management: the system that holds customers, contacts and sales.",
    },
    Term {
        term: "DFIR",
        meaning: "Digital forensics and incident response: specialists who establish what happened and preserve the evidence.",
    },
    Term {
        term: "dropper",
        meaning: "Malware whose job is to fetch and install further malware.",
    },
    Term {
        term: "duty executive",
        meaning: "The executive on call who may accept business risk and authorise disruptive action out of hours.",
    },
    Term {
        term: "EDR",
        meaning: "Endpoint detection and response: software on each computer that detects attacks and can isolate the machine.",
    },
    Term {
        term: "escalation",
        meaning: "Passing an incident to someone with more authority or expertise, by the agreed route.",
    },
    Term {
        term: "exfiltration",
        meaning: "Data copied out of the organisation by an attacker.",
    },
    Term {
        term: "IOC",
        meaning: "Indicator of compromise: a file hash, address or domain that shows an attack, used to block or hunt.",
    },
    Term {
        term: "IOCs",
        meaning: "Indicators of compromise: file hashes, addresses or domains that show an attack, used to block or hunt.",
    },
    Term {
        term: "isolate",
        meaning: "Cut a computer off the network (except from the security tools) so an attacker cannot use it.",
    },
    Term {
        term: "lateral movement",
        meaning: "An attacker moving from the first compromised machine to others.",
    },
    Term {
        term: "MDR",
        meaning: "Managed detection and response: a provider that watches a customer's systems and responds to attacks.",
    },
    Term {
        term: "MFA",
        meaning: "Multi-factor authentication: a second proof of identity besides the password.",
    },
    Term {
        term: "MSP",
        meaning: "Managed service provider: a company that runs a customer's IT under contract.",
    },
    Term {
        term: "MSSP",
        meaning: "Managed security service provider: a company that runs a customer's security monitoring under contract.",
    },
    Term {
        term: "on-call",
        meaning: "The person who answers out of hours for a team, by an agreed rota.",
    },
    Term {
        term: "playbook",
        meaning: "Steps agreed in advance for a kind of incident, which may pre-approve actions.",
    },
    Term {
        term: "ransomware",
        meaning: "Malware that encrypts data and demands payment for the key.",
    },
    Term {
        term: "RTO",
        meaning: "Recovery time objective: how soon a service must be back after an outage.",
    },
    Term {
        term: "runbook",
        meaning: "The agreed procedure for a service or a customer: whom to call, in what order, and what is allowed.",
    },
    Term {
        term: "SaaS",
        meaning: "Software as a service: an application used over the internet and run by its vendor.",
    },
    Term {
        term: "Sev",
        meaning: "Severity: the priority a ticket is given, which sets how fast it must be handled.",
    },
    Term {
        term: "SIEM",
        meaning: "Security information and event management: the system that gathers logs and raises alerts.",
    },
    Term {
        term: "SLA",
        meaning: "Service level agreement: the contract's promised response times.",
    },
    Term {
        term: "SOC",
        meaning: "Security operations centre: the team that watches for and responds to attacks.",
    },
    Term {
        term: "SSO",
        meaning: "Single sign-on: one login that opens many applications.",
    },
    Term {
        term: "triage",
        meaning: "A first look at an alert to decide how serious it is and what to do next.",
    },
    Term {
        term: "VLAN",
        meaning: "A separate network segment, which can be cut off on its own.",
    },
    Term {
        term: "VPN",
        meaning: "Virtual private network: remote access into the organisation's network.",
    },
];

/// The terms `text` uses, in the list's order.
pub fn used_in(text: &str) -> Vec<&'static Term> {
    let lower = text.to_lowercase();
    TERMS
        .iter()
        .filter(|t| {
            let caps = t.term.chars().all(|c| !c.is_lowercase());
            if caps {
                has_word(text, t.term)
            } else {
                has_word(&lower, &t.term.to_lowercase())
            }
        })
        .collect()
}

/// Whether `word` occurs in `text` with no letter or digit on either side.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_and_capitals() {
        let found: Vec<&str> = used_in("The SOC saw an EDR alert; triage took long. MSSPs. Socks.")
            .iter()
            .map(|t| t.term)
            .collect();
        assert_eq!(found, ["EDR", "SOC", "triage"]);
        assert!(
            used_in("soc").is_empty(),
            "an acronym matches only as written"
        );
    }

    #[test]
    fn sorted() {
        let mut sorted: Vec<String> = TERMS.iter().map(|t| t.term.to_lowercase()).collect();
        sorted.sort();
        let terms: Vec<String> = TERMS.iter().map(|t| t.term.to_lowercase()).collect();
        assert_eq!(terms, sorted);
    }
}
