// A host name built on the cloud's DNS suffixes is public, whatever parameter names a part of it.
@secure()
param serverSuffix string

output sqlServerFqdn string = 'sql-${serverSuffix}${environment().suffixes.sqlServerHostname}'
