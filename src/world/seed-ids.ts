/**
 * Ids used verbatim by the Graph "Create call" examples Switchboard is built from
 * (the seed document). The default world contains every one of them.
 */
export const SEED_IDS = {
  /** Contoso: the tenant of almost every example. */
  contosoTenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a',
  /** The organizer's tenantId in the "join scheduled meeting" request. */
  fabrikamTenantId: '9f386a15-f9cc-445b-8106-ac85e314a07b',
  /** "Calling Bot", the source application of most examples. */
  callingBotAppId: '2891555a-92ff-42e6-80fa-6e1300c6b5c6',
  /** "TestBot", the source application of the group-call examples. */
  testBotAppId: 'dd3885da-f9ab-486b-bfae-85de3d445555',
  johnUserId: '112f7296-5fa4-42ca-bae8-6a692b15d4b8',
  user1UserId: '98da8a1a-1b87-452c-a713-65d3f10b5555',
  user2UserId: 'bf5aae9a-d11d-47a8-93b1-782504c95555',
  /** "Bob", the organizer of the seed meetings. */
  bobUserId: '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96',
  /** "Guest User", the guest identity of the channel-meeting guest join. */
  guestId: 'd7a3b999-17ac-4bca-9e77-e6a730d2ec2e',
  /** The application instance ("Calling Bot") used as PSTN caller. */
  applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278',
  /** The PSTN target of the phone examples. */
  phoneNumber: '+12345678901',
  scheduledThreadId: '19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2',
  scheduledMessageId: '0',
  /** The meeting chat echoed in the joinMeetingId examples' responses. */
  joinByIdThreadId: '19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNNkYTFm@thread.v2',
  joinMeetingId: '1234567',
  passcode: 'psw123',
  channelThreadId: '19:cbee7c1c860e465f8258e3cebf7bee0d@thread.skype',
  channelMessageId: '1533758867081',
} as const;

/** Ids the default world adds for tests and demos; none of them appears in the seed. */
export const EXTRA_IDS = {
  /** An app with no roles and no RSC grants: every call it tries is refused. */
  noPermissionsAppId: 'c0ffee00-0000-4000-8000-000000000001',
  /** An app whose only grant is RSC Calls.JoinGroupCalls.Chat on the scheduled seed meeting. */
  rscOnlyAppId: 'c0ffee00-0000-4000-8000-000000000002',
  /** Declines every call after 500 ms. */
  decliningUserId: 'c0ffee00-0000-4000-8000-000000000101',
  /** Never answers (the call rings until it times out). */
  absentUserId: 'c0ffee00-0000-4000-8000-000000000102',
  /** Cannot be reached at all. */
  unreachableUserId: 'c0ffee00-0000-4000-8000-000000000103',
  /** The phone number assigned to the seed application instance. */
  applicationInstancePhoneNumber: '+14255550100',
  /** A PSTN number that declines after 500 ms. */
  busyPhoneNumber: '+14255550199',
  /** A passcode-free meeting reached by joinMeetingId. */
  openJoinMeetingId: '7654321',
  openMeetingThreadId: '19:meeting_SwitchboardOpenMeeting0000000000@thread.v2',
  scheduledMeetingId: 'seed-scheduled-meeting',
  joinByIdMeetingId: 'seed-join-by-id-meeting',
  openMeetingId: 'open-join-by-id-meeting',
  channelMeetingId: 'seed-channel-meeting',
} as const;
