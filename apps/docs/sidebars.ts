import type { SidebarsConfig } from '@docusaurus/plugin-content-docs';

/** The guide's sidebar: the schemes in the order the project implements them. */
const sidebars: SidebarsConfig = {
  docs: [
    'intro',
    {
      type: 'category',
      label: 'Schemes',
      collapsed: false,
      items: ['schemes/htlc', 'schemes/payment-unblock', 'schemes/ptlc-receipts', 'schemes/lightning-rod'],
    },
    'comparison',
    'vectors',
    'regtest',
  ],
};

export default sidebars;
