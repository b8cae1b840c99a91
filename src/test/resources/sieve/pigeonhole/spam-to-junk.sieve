require ["fileinto","mailbox","relational","comparator-i;ascii-numeric","imap4flags"];
# rule:[SpamAssassin]
if anyof (header :contains "X-Spam-Flag" "YES", header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "5")
{
	addflag "\\Seen";
	fileinto :create "Junk";
	stop;
}
# rule:[Rspamd]
if header :is "X-Spam" "Yes"
{
	fileinto :create "Junk";
	stop;
}
