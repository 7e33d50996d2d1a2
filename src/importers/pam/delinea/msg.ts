// Parses Secret Server's CEF `msg` text: "Event: [Secret] Action: [View] By User: ... Item Name: ...".

export interface SecretServerMessage {
  event?: string;
  action?: string;
  byUser?: string;
  itemName?: string;
  itemId?: string;
  containerName?: string;
  containerId?: string;
  /** Free text after "Details:" / "Comment:" (access-request comments; assumed layout). */
  details?: string;
}

// The labels Secret Server writes, in order; each value runs up to the next label.
const LABELS = [
  'Event:',
  'Action:',
  'By User:',
  'Item Name:',
  'Container Name:',
  'Details:',
  'Comment:',
];

export function parseSecretServerMessage(text: string | undefined): SecretServerMessage {
  const message: SecretServerMessage = {};
  if (!text) return message;

  const found: { label: string; at: number }[] = [];
  for (const label of LABELS) {
    const at = text.indexOf(label);
    if (at >= 0) found.push({ label, at });
  }
  found.sort((a, b) => a.at - b.at);

  found.forEach((entry, i) => {
    const end = i + 1 < found.length ? found[i + 1].at : text.length;
    const value = text.slice(entry.at + entry.label.length, end).trim();
    assign(message, entry.label, value);
  });
  return message;
}

function assign(message: SecretServerMessage, label: string, value: string): void {
  const bracketed = /^\[([^\]]*)\]$/.exec(value);
  const withId = /^(.*?)\s*\((?:Item|Container) Id:\s*(\d+)\)$/s.exec(value);
  switch (label) {
    case 'Event:':
      message.event = bracketed ? bracketed[1] : value;
      break;
    case 'Action:':
      message.action = bracketed ? bracketed[1] : value;
      break;
    case 'By User:':
      message.byUser = value || undefined;
      break;
    case 'Item Name:':
      message.itemName = withId ? withId[1] : value;
      if (withId) message.itemId = withId[2];
      break;
    case 'Container Name:':
      message.containerName = withId ? withId[1] : value;
      if (withId) message.containerId = withId[2];
      break;
    default:
      message.details = value || undefined;
  }
}
