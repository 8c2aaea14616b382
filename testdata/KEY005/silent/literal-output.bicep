output adminUsername string = 'azureuser'
output passwordPolicy string = 'Complexity-Required'
output adminPasswordSecretName string = 'vm-admin-password'
