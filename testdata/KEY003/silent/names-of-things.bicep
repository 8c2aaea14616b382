// Secure parameters that hold the name of something: a name is no secret.
@secure()
@description('The name for the SSL certificate.')
param certname string = 'contoso-tls-cert-2024'

@secure()
param keyVaultSecretName string = 'storage-connection-string'

