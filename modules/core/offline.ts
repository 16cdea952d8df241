/** Provider settings that let the AWS provider plan with mock credentials and no account. */
export const OFFLINE_AWS_PROVIDER = {
  skipCredentialsValidation: true,
  skipRequestingAccountId: true,
  skipMetadataApiCheck: 'true',
} as const;
