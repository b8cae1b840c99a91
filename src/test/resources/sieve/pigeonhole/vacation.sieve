require ["vacation","fileinto","mailbox","body","imap4flags"];
# rule:[out of office]
if body :text :contains "unsubscribe" { discard; stop; }
if address :is "from" "boss@example.com" { setflag "\\Flagged"; keep; }
vacation :days 1 :subject "Out of office" :addresses ["alice@example.org"] "I am away until Monday and will answer when I am back.";
