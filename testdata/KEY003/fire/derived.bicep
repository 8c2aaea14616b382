// A password (or a secure parameter) derived with uniqueString() is still recomputable.
@secure()
param sessionToken string = uniqueString(resourceGroup().id)

param adminPassword string = substring(uniqueString(resourceGroup().id), 0, 12)

output names array = [length(sessionToken), length(adminPassword)]
