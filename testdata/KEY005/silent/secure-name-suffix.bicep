// A `@secure()` parameter named as a unique token and derived with uniqueString() is a
// resource-name suffix (five characters of a hash), not a secret: no KEY003, and the outputs
// that build names and host names from it hand on no secret (no KEY005).
param solutionName string = 'copilot'

@secure()
@maxLength(5)
param solutionUniqueToken string = substring(uniqueString(subscription().id, resourceGroup().name, solutionName), 0, 5)

var sqlServerName = 'sql-${solutionName}${solutionUniqueToken}'

output sqlServerFqdn string = '${sqlServerName}${environment().suffixes.sqlServerHostname}'
output searchName string = 'srch-${solutionName}${solutionUniqueToken}'
