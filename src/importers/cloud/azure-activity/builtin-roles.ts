// Azure RBAC built-in role definition ids (the same in every tenant) and their names.
// Facts from Microsoft's "Azure built-in roles" reference; ids are lower-case GUIDs.

export const BUILT_IN_ROLES: ReadonlyMap<string, string> = new Map([
  // General
  ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'Owner'],
  ['b24988ac-6180-42a0-ab88-20f7382dd24c', 'Contributor'],
  ['acdd72a7-3385-48ef-bd42-f606fba81ae7', 'Reader'],
  ['18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'User Access Administrator'],
  ['f58310d9-a9f6-439a-9e8d-f62e7b41a168', 'Role Based Access Control Administrator'],
  ['c12c1c16-33a1-487b-954d-41c89c60f349', 'Reader and Data Access'],
  // Key Vault
  ['00482a5a-887f-4fb3-b363-3b7fe8e74483', 'Key Vault Administrator'],
  ['f25e0fa2-a7c8-4377-a976-54943a77a395', 'Key Vault Contributor'],
  ['8b54135c-b56d-4d72-a534-26097cfdc8d8', 'Key Vault Data Access Administrator'],
  ['a4417e6f-fecd-4de8-b567-7b0420556985', 'Key Vault Certificates Officer'],
  ['db79e9a7-68ee-4b58-9aeb-b90e7c24fcba', 'Key Vault Certificate User'],
  ['b86a8fe4-44ce-4948-aee5-eccb2c155cd7', 'Key Vault Secrets Officer'],
  ['4633458b-17de-408a-b874-0445c86b69e6', 'Key Vault Secrets User'],
  // Storage
  ['17d1049b-9a84-46fb-8f53-869881c3d3ab', 'Storage Account Contributor'],
  ['81a9662b-bebf-436f-a333-f67b29880f12', 'Storage Account Key Operator Service Role'],
  ['b7e6dc6d-f1e8-4753-8033-0f276bb0955b', 'Storage Blob Data Owner'],
  ['ba92f5b4-2d11-453d-a403-e96b0029c9fe', 'Storage Blob Data Contributor'],
  ['2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', 'Storage Blob Data Reader'],
  ['974c5e8b-45b9-4653-ba55-5f855dd0fb88', 'Storage Queue Data Contributor'],
  ['0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', 'Storage Table Data Contributor'],
  // Compute, network, containers
  ['9980e02c-c2be-4d73-94e8-173b1dc7cf3c', 'Virtual Machine Contributor'],
  ['4d97b98b-1d4f-4787-a291-c67834d212e7', 'Network Contributor'],
  ['befefa01-2a29-4197-83a8-272ff33ce314', 'DNS Zone Contributor'],
  ['b12aa53e-6015-4669-85d0-8515ebb3ae7f', 'Private DNS Zone Contributor'],
  ['0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8', 'Azure Kubernetes Service Cluster Admin Role'],
  ['4abbcc35-e782-43d8-92c5-2d3f1bd2253f', 'Azure Kubernetes Service Cluster User Role'],
  ['7f6c6a51-bcf8-42ba-9220-52d62157d7db', 'Azure Kubernetes Service RBAC Reader'],
  ['8311e382-0749-4cb8-b61a-304f252e45ec', 'AcrPush'],
  ['7f951dda-4ed3-4680-a7ca-43fe172d538d', 'AcrPull'],
  // Operations and security
  ['5e467623-bb1f-42f4-a55d-6e525e11384b', 'Backup Contributor'],
  ['a795c7a0-d4a2-40c1-ae25-d81f01202912', 'Backup Reader'],
  ['92aaf0da-9dab-42b6-94a3-d43ce8d16293', 'Log Analytics Contributor'],
  ['72fafb9e-0641-4937-9268-a91bfd8191a3', 'Cost Management Reader'],
  ['434105ed-43f6-45c7-a02f-909b2ba83430', 'Cost Management Contributor'],
  ['fa23ad8b-c56e-40d8-ac0c-ce449e1d2c64', 'Billing Reader'],
  ['e0f68234-74aa-48ed-b826-c38b57376e17', 'Redis Cache Contributor'],
  ['f526a384-b230-433a-b45c-95f59c4a2dec', 'Azure Event Hubs Data Owner'],
  ['090c5cfd-751d-490a-894a-3ce6f1109419', 'Azure Service Bus Data Owner'],
]);
