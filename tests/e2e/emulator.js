// A thin launcher around the npm package telegram-test-api (a Bot API emulator), filling
// the gaps that stop python-telegram-bot from talking to it:
//   - getMe lacks is_bot;
//   - setMyCommands, getMyCommands, deleteMyCommands, sendChatAction and other methods PTB
//     calls are missing (the emulator answers 500 for any method it lacks);
//   - messages it returns carry `date` in milliseconds and no `from`;
//   - callback queries lack `chat_instance`;
//   - editMessageText and answerCallbackQuery answer `null` instead of a message / true;
//   - sendPhoto is missing: a multipart upload is parsed here and stored as a bot message
//     whose `caption` is the caption and `photo` says how many bytes of which image type
//     arrived (`png: true` when they start with the PNG signature).
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
  app.post('/bot:token/sendPhoto', (req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const fields = parseMultipart(Buffer.concat(chunks), req.headers['content-type'] || '');
      const photo = fields.photo || Buffer.alloc(0);
      const png = photo.length > 8 && photo.subarray(0, 8).equals(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const caption = fields.caption ? fields.caption.toString('utf8') : '';
      const msg = server.addBotMessage({
        chat_id: fields.chat_id ? fields.chat_id.toString('utf8') : '',
        text: caption, caption,
        parse_mode: fields.parse_mode ? fields.parse_mode.toString('utf8') : undefined,
        photo: { bytes: photo.length, png },
      }, req.params.token);
      ok(res, { message_id: msg.message_id, date: seconds(msg.date), from: BOT, chat: msg.chat,
        caption,
        photo: [{ file_id: `photo${msg.message_id}`, file_unique_id: `p${msg.message_id}`,
          width: 1200, height: 900, file_size: photo.length }] });
    });
  });
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

// The parts of a multipart/form-data body by name (values as Buffers).
function parseMultipart(body, contentType) {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const fields = {};
  if (!match) return fields;
  const boundary = Buffer.from(`--${match[1] || match[2]}`);
  let start = body.indexOf(boundary);
  while (start !== -1) {
    const next = body.indexOf(boundary, start + boundary.length);
    if (next === -1) break;
    const part = body.subarray(start + boundary.length + 2, next - 2);  // CRLF each side
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const head = part.subarray(0, split).toString('utf8');
      const name = /name="([^"]+)"/i.exec(head);
      if (name) fields[name[1]] = part.subarray(split + 4);
    }
    start = next;
  }
  return fields;
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
