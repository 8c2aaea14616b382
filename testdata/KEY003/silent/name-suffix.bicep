// A plain `…Token` parameter derived with uniqueString() is a resource-name suffix, not a password.
param solutionName string = 'kmgs'

@maxLength(5)
param solutionUniqueToken string = substring(uniqueString(subscription().id, resourceGroup().name, solutionName), 0, 5)

param resourceToken string = toLower(uniqueString(subscription().id, resourceGroup().id))

output name string = '${solutionName}${solutionUniqueToken}${resourceToken}'
