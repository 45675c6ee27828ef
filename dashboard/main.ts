// Entry of the dashboard bundle: only the shell, the login form and the board's tiles are in it;
// every other page, vega and CodeMirror are separate chunks loaded on demand.
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

mount(App, { target: document.getElementById('app')! });
