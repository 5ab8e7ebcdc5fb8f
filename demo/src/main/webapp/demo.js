'use strict';

const $ = (id) => document.getElementById(id);

function text(value) {
    const span = document.createElement('span');
    span.textContent = value;
    return span.innerHTML;
}

function substitution() {
    const data = {};
    for (const line of $('substitution').value.split('\n')) {
        const at = line.indexOf('=');
        if (at > 0) {
            data[line.slice(0, at).trim()] = line.slice(at + 1).trim();
        }
    }
    return data;
}

function attemptsTable(attempts) {
    if (!attempts || attempts.length === 0) {
        return '';
    }
    const rows = attempts.map((a) => `<tr><td>${text(a.transport)}</td><td>${text(a.outcome)}</td>` +
        `<td>${a.status ?? ''}</td><td>${a.ms} ms</td><td>${text(a.detail ?? '')}</td></tr>`).join('');
    return '<table class="attempts"><tr><th>transport</th><th>outcome</th><th>status</th><th>took</th>' +
        `<th>detail</th></tr>${rows}</table>`;
}

function showReceipt(r) {
    $('idle').hidden = true;
    $('error').hidden = true;
    const flags = [];
    if (r.failedOver) {
        flags.push('<span class="badge warn" id="failed-over">failed over</span>');
    }
    if (r.possibleDuplicate) {
        flags.push('<span class="badge warn" id="possible-duplicate">possible duplicate</span>');
    }
    $('receipt').innerHTML = `<dl>
        <dt>Delivered through</dt><dd><span class="badge" id="delivered-by">${text(r.transport)}</span> ${flags.join(' ')}</dd>
        <dt>${r.transmissionId ? 'Transmission id' : 'Message-ID'}</dt>
        <dd id="correlation-id">${text(r.transmissionId ?? r.messageId ?? '')}</dd>
        <dt>Mail id (the same on every path)</dt><dd>${text(r.mailId)}</dd>
        <dt>Attempts</dt><dd>${attemptsTable(r.attempts)}</dd></dl>`;
    $('receipt').hidden = false;
}

function showError(e) {
    $('idle').hidden = true;
    $('receipt').hidden = true;
    $('error').innerHTML = `<dl>
        <dt>Error</dt><dd id="error-type">${text(e.error)}${e.kind ? ' (' + text(e.kind) + ')' : ''}</dd>
        ${e.status !== undefined ? `<dt>Status</dt><dd>${e.status}</dd>` : ''}
        <dt>Message</dt><dd id="error-message">${text(e.message ?? '')}</dd>
        ${e.attempts ? `<dt>Attempts</dt><dd>${attemptsTable(e.attempts)}</dd>` : ''}</dl>`;
    $('error').hidden = false;
}

async function refresh() {
    const response = await fetch('api/demo/received');
    const seen = await response.json();
    $('api-received').innerHTML = seen.api.map((r) =>
        `<li><strong>${r.status}</strong> (${text(r.mode)}) at ${text(r.at)}, Authorization: ${text(r.authorization)}` +
        `<pre>${text(r.body)}</pre></li>`).join('');
    $('smtp-received').innerHTML = seen.smtp.map((m) =>
        `<li>MAIL FROM ${text(m.from)}, RCPT TO ${text(m.recipients)}<pre>${text(m.message)}</pre></li>`).join('');
}

$('mail-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('send').disabled = true;
    try {
        await fetch(`api/demo/stand-in/mode/${$('mode').value}`, {method: 'PUT'});
        const message = {
            to: $('to').value,
            subject: $('subject').value,
            text: $('text').value,
            html: $('html').value,
            templateId: $('templateId').value,
            substitution: substitution(),
        };
        const response = await fetch('api/demo/send', {
            method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify(message),
        });
        const body = await response.json();
        if (response.ok) {
            showReceipt(body);
        } else {
            showError(body);
        }
    } catch (e) {
        showError({error: 'NetworkError', message: String(e)});
    } finally {
        $('send').disabled = false;
        await refresh();
    }
});

$('refresh').addEventListener('click', refresh);
$('clear').addEventListener('click', async () => {
    await fetch('api/demo/received', {method: 'DELETE'});
    await refresh();
});
refresh();
