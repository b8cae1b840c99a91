require ["fileinto","mailbox","variables"];
# Mailing lists by List-Id, one folder per list (Lists.<name>)
if exists "list-id"
{
	if header :matches "list-id" "*<*.*>"
	{
		set :lower "listname" "${2}";
		fileinto :create "Lists.${listname}";
		stop;
	}
	fileinto :create "Lists";
}
