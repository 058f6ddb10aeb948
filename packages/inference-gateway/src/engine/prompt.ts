/** Chat messages → one prompt. The tiny and most LoRA bases have no chat template, so one plain format is used everywhere. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool' | 'developer';
  content: string;
}

export function formatChatPrompt(messages: ChatMessage[]): string {
  return messages.map((m) => `${m.role}: ${m.content}\n`).join('') + 'assistant:';
}
