@secure()
param tokenValue string
param location string
