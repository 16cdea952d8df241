import { AlarmTopic } from '../modules';
import { awsTestStack, onlyResource, resourcesOfType, synthesize } from '../modules/testing';

const KEY = 'arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-4000-8000-000000000000';

function synth(alarmEmails?: string[]) {
  const stack = awsTestStack();
  new AlarmTopic(stack, 'topic', { topicName: 'eks-work-dev-alarms', kmsKeyArn: KEY, alarmEmails });
  return synthesize(stack);
}

describe('AlarmTopic', () => {
  test('a KMS-encrypted topic with one email subscription per address', () => {
    const json = synth(['oncall@example.com', 'lead@example.com']);
    expect(onlyResource(json, 'aws_sns_topic')).toMatchObject({ name: 'eks-work-dev-alarms', kms_master_key_id: KEY });
    expect(resourcesOfType(json, 'aws_sns_topic_subscription').map((s) => [s.protocol, s.endpoint])).toEqual([
      ['email', 'oncall@example.com'],
      ['email', 'lead@example.com'],
    ]);
  });

  test('no addresses, no subscriptions', () => {
    expect(resourcesOfType(synth(), 'aws_sns_topic_subscription')).toHaveLength(0);
  });

  test('an address that is not an email is refused', () => {
    expect(() => synth(['oncall'])).toThrow('alarmEmails[0]: "oncall" is not an email address');
  });
});
