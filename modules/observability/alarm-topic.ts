import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { checkProviderBindings } from '../core/bindings';
import { check, show } from '../core/validation';

export interface AlarmTopicProps {
  readonly topicName: string;
  /** KMS key the topic is encrypted with; its policy must let `cloudwatch.amazonaws.com` use it. */
  readonly kmsKeyArn: string;
  /**
   * Addresses that get every alarm by email. Each must confirm the subscription from the message
   * AWS sends; until then it receives nothing. @default none (alarms still show in the console)
   */
  readonly alarmEmails?: string[];
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The SNS topic alarms notify (KMS-encrypted), with email subscriptions. */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const emails = props.alarmEmails ?? [];
    emails.forEach((e, i) => check(EMAIL.test(e), `alarmEmails[${i}]`, `${show(e)} is not an email address; allowed: name@example.com`));
    check(new Set(emails).size === emails.length, 'alarmEmails', 'lists an address twice; allowed: each address once');
    check(/^[A-Za-z0-9_-]{1,256}$/.test(props.topicName), 'topicName', `${show(props.topicName)} is not an SNS topic name; allowed: 1-256 letters, digits, '-' and '_'`);
    this.topic = new SnsTopic(this, 'topic', { name: props.topicName, kmsMasterKeyId: props.kmsKeyArn });
    this.topicArn = this.topic.arn;
    emails.forEach((email, i) => new SnsTopicSubscription(this, `email-${i}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email }));
  }
}
