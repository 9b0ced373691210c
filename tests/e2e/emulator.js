// A thin launcher around the npm package telegram-test-api (a Bot API emulator), filling
// the gaps that stop python-telegram-bot from talking to it:
//   - getMe lacks is_bot;
//   - setMyCommands, getMyCommands, deleteMyCommands, sendChatAction and other methods PTB
//     calls are missing (the emulator answers 500 for any method it lacks);
//   - messages it returns carry `date` in milliseconds and no `from`;
//   - callback queries lack `chat_instance`;
//   - editMessageText and answerCallbackQuery answer `null` instead of a message / true.
// It does not check rate limits, message length or entity parsing: Telegram does.
//
// Usage: node emulator.js PORT   (prints "READY <url>" on stdout once it listens on 127.0.0.1)
'use strict';

const { TelegramServer } = require('telegram-test-api/lib/telegramServer');
const allRoutes = require('telegram-test-api/lib/routes/index').routes;

const BOT = { id: 666, is_bot: true, first_name: 'briefbot', username: 'briefbot_test_bot' };
const seconds = (ms) => Math.floor(ms / 1000);

function ok(res, result) {
  res.json({ ok: true, result });
}

// Routes added before the package's own, so they win over its catch-all.
function gapRoutes(app, server) {
  app.all('/bot:token/getMe', (req, res) => ok(res, { ...BOT, can_join_groups: true }));
  for (const method of ['setMyCommands', 'deleteMyCommands', 'sendChatAction',
    'setChatMenuButton', 'answerCallbackQuery']) {
    app.all(`/bot:token/${method}`, (req, res) => ok(res, true));
  }
  app.all('/bot:token/getMyCommands', (req, res) => ok(res, []));
  app.all('/bot:token/editMessageText', (req, res) => {
    server.editMessageText(req.body);
    const stored = server.storage.botMessages.find(
      (u) => String(u.messageId) === String(req.body.message_id)
        && String(u.message.chat_id) === String(req.body.chat_id));
    if (!stored) {
      res.status(400).json({ ok: false, error_code: 400,
        description: 'Bad Request: message to edit not found' });
      return;
    }
    ok(res, botMessage(stored.message, stored.messageId, stored.time));
  });
}

function botMessage(message, messageId, time) {
  const { reply_markup: markup } = message;
  return {
    message_id: messageId,
    date: seconds(time),
    from: BOT,
    chat: { id: Number(message.chat_id), type: 'private' },
    text: message.text,
    reply_markup: markup && 'inline_keyboard' in markup ? markup : undefined,
  };
}

// Messages the bot sends: dates in seconds, with `from`.
const addBotMessage = TelegramServer.prototype.addBotMessage;
TelegramServer.prototype.addBotMessage = function patched(rawMessage, botToken) {
  const msg = addBotMessage.call(this, rawMessage, botToken);
  // The emulator echoes the request's form fields (JSON strings); answer a clean message.
  return { message_id: msg.message_id, date: seconds(msg.date), from: BOT, chat: msg.chat,
    text: msg.text, reply_markup: msg.reply_markup };
};

// Updates the bot receives: callback queries with chat_instance and a full message.
const formatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = function patched(update) {
  const formatted = formatUpdate(update);
  if (formatted.callback_query) {
    formatted.callback_query.chat_instance = String(update.callbackQuery.chat_instance
      || update.callbackQuery.message?.chat?.id || 1);
  }
  return formatted;
};

async function main() {
  const port = Number(process.argv[2]);
  allRoutes.unshift((app, server) => gapRoutes(app, server));
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  process.stdout.write(`READY ${server.config.apiURL}\n`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
