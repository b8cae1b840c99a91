require ["fileinto","mailbox","envelope","subaddress","variables","imap4flags","copy"];
# user+tag@domain goes to the folder "tag", flagged when it is an order
if envelope :matches :detail "to" "*"
{
	if string :is "${1}" "" { keep; stop; }
	set :upperfirst "folder" "${1}";
	if header :contains "subject" "order" { addflag "$Order"; }
	fileinto :create "${folder}";
}
if address :is :domain "from" "shop.example.com"
{
	fileinto :copy :create "Receipts";
}
